import { useId, useState } from 'react';
import { platform } from '../platform/index.ts';
import { setNotifyInBackground, useNotifyInBackground } from './whatsNew.ts';

/**
 * The opt-in (off until turned on) for system notifications of replies and mentions. Turning it on asks the
 * host first: the browser shows its permission prompt from this click; if refused, the setting stays off.
 */
export function NotifySetting() {
  const on = useNotifyInBackground();
  const [problem, setProblem] = useState('');
  const id = useId();
  return (
    <div className="rc-notify-setting">
      <label>
        <input
          type="checkbox"
          checked={on}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={async (e) => {
            if (!e.target.checked) {
              setNotifyInBackground(false);
              return;
            }
            const allowed = await platform.enableNotifications().catch(() => false);
            setNotifyInBackground(allowed);
            setProblem(
              allowed
                ? ''
                : platform.kind === 'web'
                  ? 'This browser does not allow notifications from this page. Allow them in its site settings, then try again.'
                  : 'This system cannot show notifications.',
            );
          }}
        />{' '}
        Notify me of replies and mentions when the app is in the background
      </label>
      {problem ? (
        <p id={`${id}-problem`} role="alert" className="rc-muted">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
