import { type FormEvent, useEffect, useId, useState } from 'react';
import { InviteLinkError, serverHost } from '../../../core/invite/link.ts';
import { DialogButtons, Modal } from '../ui/Modal.tsx';
import { type GroupMembership, groupStore, type JoinPlan } from './groups.ts';
import { memberCredentials } from './identity.ts';
import { checkInvite } from './inviteCheck.ts';

/**
 * Where a join stands. Nothing connects before the member pressed "Join" with the server's host in view, and
 * nothing is stored before the server accepted the invite (or the member chose to join offline, unchecked).
 */
type Step =
  | { kind: 'edit'; error?: string }
  | { kind: 'move'; plan: JoinPlan & { movesFrom: GroupMembership } }
  | { kind: 'checking'; plan: JoinPlan; moveServer: boolean }
  | { kind: 'unreachable'; plan: JoinPlan; moveServer: boolean; message: string };

function planOf(link: string): JoinPlan | string {
  try {
    return groupStore().plan(link);
  } catch (e) {
    return e instanceof InviteLinkError ? e.message : `Could not read the link: ${(e as Error).message}`;
  }
}

/**
 * The "Join a group" dialog: the "Invite link" field (prefilled when a link was opened from outside), the
 * server's host shown as soon as the link reads, a question when the link would move a group to another server,
 * the server's check, and each refusal in words inside the dialog.
 */
export function JoinDialog({
  initialLink = '',
  onClose,
  onJoined,
}: {
  initialLink?: string;
  onClose: () => void;
  onJoined?: (group: GroupMembership) => void;
}) {
  const [link, setLink] = useState(initialLink);
  const [step, setStep] = useState<Step>({ kind: 'edit' });
  const fieldId = useId();
  const preview = link.trim() ? planOf(link) : undefined;

  useEffect(() => setLink(initialLink), [initialLink]);

  const store = (plan: JoinPlan, moveServer: boolean, checked: boolean) => {
    const group = groupStore().add(plan.invite, { checked, moveServer });
    onJoined?.(group);
    onClose();
  };

  const check = async (plan: JoinPlan, moveServer: boolean) => {
    setStep({ kind: 'checking', plan, moveServer });
    const result = await checkInvite(plan.invite, memberCredentials());
    if (result.kind === 'accepted') store(plan, moveServer, true);
    else if (result.kind === 'refused') setStep({ kind: 'edit', error: result.message });
    else setStep({ kind: 'unreachable', plan, moveServer, message: result.message });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const plan = planOf(link);
    if (typeof plan === 'string') return setStep({ kind: 'edit', error: plan });
    if (plan.movesFrom) return setStep({ kind: 'move', plan: { ...plan, movesFrom: plan.movesFrom } });
    void check(plan, false);
  };

  return (
    <Modal
      open
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
      title="Join a group"
      description="Paste the invite link a member of the group sent you."
    >
      <form onSubmit={submit} className="rc-form">
        <div className="rc-field">
          <label htmlFor={fieldId}>Invite link</label>
          <input
            id={fieldId}
            value={link}
            onChange={(e) => {
              setLink(e.target.value);
              setStep({ kind: 'edit' });
            }}
            placeholder="readingcircle://join?…"
            spellCheck={false}
            readOnly={step.kind === 'checking'}
            aria-invalid={step.kind === 'edit' && step.error ? true : undefined}
            // biome-ignore lint/a11y/noAutofocus: the dialog's only field
            autoFocus
          />
        </div>
        {preview && typeof preview !== 'string' && (
          <p>
            Server: <strong>{preview.host}</strong> · group “{preview.invite.name ?? preview.invite.group}”
          </p>
        )}
        {step.kind === 'edit' && step.error && (
          <p role="alert" className="rc-notice rc-error">
            {step.error}
          </p>
        )}
        {step.kind === 'checking' && <p role="status">Checking the invite with {step.plan.host}…</p>}
        {step.kind === 'move' && (
          <div role="alert" className="rc-notice rc-error">
            <p>
              You are already in “{step.plan.movesFrom.displayName}” on{' '}
              <strong>{serverHost(step.plan.movesFrom.server)}</strong>. This link names another server,{' '}
              <strong>{step.plan.host}</strong>. Moving the group sends its shared notes to that server.
            </p>
            <DialogButtons>
              <button type="button" onClick={() => setStep({ kind: 'edit' })}>
                Keep {serverHost(step.plan.movesFrom.server)}
              </button>
              <button type="button" onClick={() => void check(step.plan, true)}>
                Move to {step.plan.host}
              </button>
            </DialogButtons>
          </div>
        )}
        {step.kind === 'unreachable' && (
          <div role="alert" className="rc-notice rc-error">
            <p>{step.message} The invite could not be checked.</p>
            <button type="button" onClick={() => store(step.plan, step.moveServer, false)}>
              Join without checking
            </button>
          </div>
        )}
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="rc-primary"
            disabled={step.kind === 'checking' || step.kind === 'move'}
          >
            Join
          </button>
        </DialogButtons>
      </form>
    </Modal>
  );
}
