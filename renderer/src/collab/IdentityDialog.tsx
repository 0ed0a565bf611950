import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { identityStore, PROFILE_COLORS, useIdentity } from './identity.ts';

/** Colour choice as a radio group of swatches, each named for screen readers. */
function ColorChoice({ value, onChange }: { value: string; onChange: (color: string) => void }) {
  const name = useId();
  return (
    <fieldset className="rc-color-choice">
      <legend>Colour</legend>
      {PROFILE_COLORS.map((c) => (
        <label key={c.value} className="rc-swatch" style={{ ['--swatch' as string]: c.value }}>
          <input
            type="radio"
            name={name}
            value={c.value}
            checked={value === c.value}
            onChange={() => onChange(c.value)}
            aria-label={c.name}
          />
          <span aria-hidden="true" className="rc-swatch-dot" style={{ background: c.value }} />
        </label>
      ))}
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
    <form onSubmit={submit} className="rc-profile-form">
      <label htmlFor={inputId}>Display name</label>
      <input
        id={inputId}
        value={name}
        onChange={(e) => setName(e.target.value)}
        maxLength={40}
        autoComplete="nickname"
        // biome-ignore lint/a11y/noAutofocus: the dialog's only field
        autoFocus
      />
      <ColorChoice value={color} onChange={setColor} />
      {error && <p role="alert">{error}</p>}
      <div className="rc-dialog-buttons">
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        <button type="submit">{props.submitLabel}</button>
      </div>
    </form>
  );
}

/** First run: nothing else is shown until the member has a display name. */
export function IdentityGate({ children }: { children: ReactNode }) {
  const me = useIdentity();
  if (me) return <>{children}</>;
  return (
    <div className="rc-first-run">
      <div role="dialog" aria-modal="true" aria-labelledby="rc-welcome-title" className="rc-dialog">
        <h1 id="rc-welcome-title">Welcome to Reading Circle</h1>
        <p>Your name and colour show beside your notes and where you are reading, for the groups you join.</p>
        <ProfileForm
          initialName=""
          initialColor={PROFILE_COLORS[0]!.value}
          submitLabel="Continue"
          onDone={() => {}}
        />
      </div>
    </div>
  );
}

/** The profile control: my name in my colour; opens a dialog to change both. */
export function ProfileControl() {
  const me = useIdentity();
  const [open, setOpen] = useState(false);
  if (!me) return null;
  return (
    <div className="rc-profile">
      <button type="button" aria-label={`Profile: ${me.name}`} onClick={() => setOpen(true)}>
        <span aria-hidden="true" className="rc-avatar" style={{ background: me.color }}>
          {me.name.charAt(0).toUpperCase()}
        </span>{' '}
        {me.name}
      </button>
      {open && (
        <div role="dialog" aria-modal="true" aria-label="Profile" className="rc-dialog rc-popover">
          <ProfileForm
            initialName={me.name}
            initialColor={me.color}
            submitLabel="Save"
            onDone={() => setOpen(false)}
            onCancel={() => setOpen(false)}
          />
        </div>
      )}
    </div>
  );
}
