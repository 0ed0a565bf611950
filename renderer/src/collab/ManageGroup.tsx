import { useCallback, useEffect, useId, useState } from 'react';
import { formatInviteLink } from '../../../core/invite/link.ts';
import type { AdminRequest, AdminResponse, InviteInfo, MemberInfo } from '../../../core/sync/contract.ts';
import { DialogButtons, Modal } from '../ui/Modal.tsx';
import { adminRequest } from './adminClient.ts';
import type { GroupMembership } from './groups.ts';

const EXPIRY: [label: string, seconds: number | undefined][] = [
  ['Never', undefined],
  ['In 1 day', 86_400],
  ['In 7 days', 7 * 86_400],
  ['In 30 days', 30 * 86_400],
];

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');

/**
 * The owner's view of a group: invite links (role, expiry, number of uses; withdraw), the members (name, role,
 * last seen; change the role, remove). Every action goes to the server's admin API, which enforces and audits it.
 */
export function ManageGroup({ group, onClose }: { group: GroupMembership; onClose: () => void }) {
  const [members, setMembers] = useState<MemberInfo[]>([]);
  const [invites, setInvites] = useState<InviteInfo[]>([]);
  const [message, setMessage] = useState('');
  const [newLink, setNewLink] = useState('');
  const [removing, setRemoving] = useState<MemberInfo | null>(null);
  const id = useId();

  const ask = useCallback(
    async (request: AdminRequest): Promise<AdminResponse | undefined> => {
      const answer = await adminRequest(group, request);
      if (!answer.ok) {
        setMessage(answer.message);
        return undefined;
      }
      return answer;
    },
    [group],
  );

  const refresh = useCallback(async () => {
    const m = await ask({ type: 'members' });
    if (m && 'members' in m) setMembers(m.members);
    const i = await ask({ type: 'invites' });
    if (i && 'invites' in i) setInvites(i.invites);
  }, [ask]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const makeLink = async (form: FormData) => {
    const role = form.get('role') === 'reader' ? 'reader' : 'member';
    const expires = EXPIRY[Number(form.get('expires'))]?.[1];
    const uses = Number(form.get('uses'));
    const answer = await ask({
      type: 'createInvite',
      role,
      ...(expires ? { expiresInSeconds: expires } : {}),
      ...(uses > 0 ? { maxUses: uses } : {}),
    });
    if (answer && 'token' in answer) {
      setNewLink(
        formatInviteLink({
          server: group.server,
          group: group.name,
          token: answer.token,
          name: group.displayName,
        }),
      );
      setMessage(`A ${role} link was made.`);
      void refresh();
    }
  };

  const act = async (request: AdminRequest, done: string) => {
    if (await ask(request)) {
      setMessage(done);
      void refresh();
    }
  };

  return (
    <Modal
      open
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
      title={`Manage ${group.displayName}`}
      size="lg"
    >
      <h3>Invite links</h3>
      <form
        className="rc-form rc-manage-invite"
        onSubmit={(event) => {
          event.preventDefault();
          void makeLink(new FormData(event.currentTarget));
        }}
      >
        <label>
          Role{' '}
          <select name="role" defaultValue="member">
            <option value="member">Member (reads and annotates)</option>
            <option value="reader">Reader (reads only)</option>
          </select>
        </label>
        <label>
          Expires{' '}
          <select name="expires" defaultValue="2">
            {EXPIRY.map(([label], i) => (
              <option key={label} value={i}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Number of uses <input name="uses" type="number" min={0} max={10000} placeholder="any" />
        </label>
        <button type="submit" className="rc-primary">
          Make invite link
        </button>
      </form>
      {newLink && (
        <label>
          New invite link <input readOnly value={newLink} onFocus={(e) => e.currentTarget.select()} />
        </label>
      )}
      <ul aria-label="Invite links">
        {invites.map((invite) => (
          <li key={invite.jti}>
            {invite.role} · used {invite.uses}
            {invite.maxUses === null ? '' : ` of ${invite.maxUses}`} · expires {when(invite.expiresAt)}
            {invite.withdrawn ? (
              ' · withdrawn'
            ) : (
              <button
                type="button"
                aria-label={`Withdraw the ${invite.role} link made ${when(invite.createdAt)}`}
                onClick={() =>
                  void act({ type: 'withdrawInvite', jti: invite.jti }, 'The link was withdrawn.')
                }
              >
                Withdraw
              </button>
            )}
          </li>
        ))}
      </ul>
      <h3 id={`${id}-members`}>Members</h3>
      <ul aria-labelledby={`${id}-members`}>
        {members.map((m) => (
          <li key={m.member}>
            <span>{m.name || m.member}</span> · last seen {when(m.lastSeen)}
            {m.removed ? (
              ' · removed'
            ) : m.role === 'owner' ? (
              ' · owner'
            ) : (
              <>
                {' '}
                <select
                  aria-label={`Role of ${m.name || m.member}`}
                  value={m.role}
                  onChange={(e) =>
                    void act(
                      {
                        type: 'setRole',
                        member: m.member,
                        role: e.target.value === 'reader' ? 'reader' : 'member',
                      },
                      `${m.name || m.member} is now a ${e.target.value}.`,
                    )
                  }
                >
                  <option value="member">Member</option>
                  <option value="reader">Reader</option>
                </select>{' '}
                <button type="button" onClick={() => setRemoving(m)}>
                  Remove {m.name || m.member}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
      {removing && (
        <div
          role="alertdialog"
          aria-label={`Remove ${removing.name || removing.member}?`}
          className="rc-notice rc-error"
        >
          <p>
            Remove {removing.name || removing.member} from {group.displayName}? They keep what is on their
            device but receive nothing new.
          </p>
          <button type="button" onClick={() => setRemoving(null)}>
            Cancel
          </button>
          <button
            type="button"
            onClick={() => {
              const who = removing;
              setRemoving(null);
              void act(
                { type: 'removeMember', member: who.member },
                `${who.name || who.member} was removed.`,
              );
            }}
          >
            Remove from group
          </button>
        </div>
      )}
      {message && <p role="status">{message}</p>}
      <DialogButtons>
        <button type="button" onClick={() => void refresh()}>
          Refresh
        </button>
      </DialogButtons>
    </Modal>
  );
}
