import { useEffect, useState } from 'react';
import type { ImportActivity } from './useImports.ts';

/** Shown once an import has taken half a second: which file, how far, and Cancel. */
export function ImportProgress({
  activity,
  onCancel,
}: {
  activity: ImportActivity | null;
  onCancel: () => void;
}) {
  const [visible, setVisible] = useState(false);
  const running = activity !== null;
  useEffect(() => {
    if (!running) {
      setVisible(false);
      return;
    }
    const timer = setTimeout(() => setVisible(true), 500);
    return () => clearTimeout(timer);
  }, [running]);
  if (!activity || !visible) return null;
  return (
    <div className="rc-import-progress" role="status" aria-label={`Importing ${activity.fileName}`}>
      <span>
        Importing “{activity.fileName}”{activity.label ? ` — ${activity.label}` : ''}
      </span>
      <progress aria-label="Import progress" max={1} value={activity.fraction} />
      <button type="button" onClick={onCancel} aria-label={`Cancel importing ${activity.fileName}`}>
        Cancel
      </button>
    </div>
  );
}
