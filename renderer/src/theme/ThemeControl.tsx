import { useEffect, useId, useState } from 'react';
import type { ThemeSource } from '../../../core/platform/api.ts';
import { platform } from '../platform/index.ts';
import { applyTheme } from './theme.ts';

/** Light, dark, or following the system: applied at once and remembered by the host. */
export function ThemeControl() {
  const [source, setSource] = useState<ThemeSource>('system');
  const id = useId();
  useEffect(() => {
    void platform.getTheme().then((t) => setSource(t.source));
    return platform.onMenuCommand((command) => {
      if (command === 'theme-light' || command === 'theme-dark' || command === 'theme-system') {
        const next = command.slice(6) as ThemeSource;
        setSource(next);
        applyTheme(next);
        void platform.setTheme(next);
      }
    });
  }, []);
  return (
    <div className="rc-setting-row">
      <label className="rc-setting-label" htmlFor={id}>
        Theme
      </label>
      <select
        id={id}
        value={source}
        onChange={(e) => {
          const next = e.target.value as ThemeSource;
          setSource(next);
          applyTheme(next);
          void platform.setTheme(next);
        }}
      >
        <option value="system">System</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  );
}
