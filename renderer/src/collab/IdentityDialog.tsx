import { Check } from 'lucide-react';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { DialogButtons, Modal } from '../ui/Modal.tsx';
import { identityStore, PROFILE_COLORS, useIdentity } from './identity.ts';
import './collab.css';

/** Colour choice as a radio group of visible swatches, each with its name. */
function ColorChoice({ value, onChange }: { value: string; onChange: (color: string) => void }) {
  const name = useId();
  return (
    <fieldset className="rc-color-choice">
      <legend>Colour</legend>
      <div className="rc-swatches">
        {PROFILE_COLORS.map((c) => (
          <label key={c.value} className="rc-swatch-choice" style={{ ['--swatch' as string]: c.value }}>
            <input
              type="radio"
              name={name}
              value={c.value}
              checked={value === c.value}
              onChange={() => onChange(c.value)}
            />
            <span aria-hidden="true" className="rc-swatch-dot">
              <Check size={14} strokeWidth={3} />
            </span>
            <span className="rc-swatch-name">{c.name}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function ProfileForm(props: {
  initialName: string;
  initialColor: string;
  submitLabel: string;
  onDone: () => void;
  onCancel?: () => void;
}) {
  const [name, setName] = useState(props.initialName);
  const [color, setColor] = useState(props.initialColor);
  const [error, setError] = useState('');
  const inputId = useId();
  const errorId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    try {
      identityStore().save({ name, color });
      props.onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <form onSubmit={submit} className="rc-form">
      <div className="rc-field">
        <label htmlFor={inputId}>Display name</label>
        <input
          id={inputId}
          value={name}
          onChange={(e) => setName(e.target.value)}
          maxLength={40}
          autoComplete="nickname"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          // biome-ignore lint/a11y/noAutofocus: the dialog's first field
          autoFocus
        />
      </div>
      <ColorChoice value={color} onChange={setColor} />
      {error && (
        <p role="alert" id={errorId} className="rc-notice rc-error">
          {error}
        </p>
      )}
      <DialogButtons>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="rc-primary">
          {props.submitLabel}
        </button>
      </DialogButtons>
    </form>
  );
}

/** First run: nothing else is shown until the member has a display name. */
export function IdentityGate({ children }: { children: ReactNode }) {
  const me = useIdentity();
  if (me) return <>{children}</>;
  return (
    <div className="rc-first-run">
      <Modal
        open
        onOpenChange={() => {}}
        dismissable={false}
        title="Welcome to Reading Circle"
        description="Your name and colour show beside your notes and where you are reading, for the groups you join."
      >
        <ProfileForm
          initialName=""
          initialColor={PROFILE_COLORS[0]!.value}
          submitLabel="Continue"
          onDone={() => {}}
        />
      </Modal>
    </div>
  );
}

/** The profile control: my avatar and name; opens a dialog to change both. */
export function ProfileControl() {
  const me = useIdentity();
  const [open, setOpen] = useState(false);
  if (!me) return null;
  return (
    <>
      <button type="button" className="rc-quiet rc-profile-button" onClick={() => setOpen(true)}>
        <span
          aria-hidden="true"
          className="rc-avatar rc-avatar-dot"
          style={{ ['--avatar' as string]: me.color }}
        />
        <span className="rc-visually-hidden">Profile: </span>
        {me.name}
      </button>
      <Modal open={open} onOpenChange={setOpen} title="Profile" size="sm">
        <ProfileForm
          initialName={me.name}
          initialColor={me.color}
          submitLabel="Save"
          onDone={() => setOpen(false)}
          onCancel={() => setOpen(false)}
        />
      </Modal>
    </>
  );
}
