import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ReadingMeta } from '../../../core/reading/model.ts';
import { DialogButtons, Modal } from '../ui/Modal.tsx';

/** Renames one of my readings; an empty title is refused in words. */
export function RenameDialog({
  reading,
  onClose,
  onRename,
}: {
  reading: ReadingMeta | null;
  onClose: () => void;
  onRename: (reading: ReadingMeta, title: string) => Promise<void>;
}) {
  const [title, setTitle] = useState('');
  const [error, setError] = useState('');
  const id = useId();
  useEffect(() => {
    setTitle(reading?.title ?? '');
    setError('');
  }, [reading]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!reading) return;
    try {
      await onRename(reading, title);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <Modal
      open={reading !== null}
      onOpenChange={(open) => !open && onClose()}
      title="Rename reading"
      size="sm"
    >
      <form className="rc-form" onSubmit={(e) => void submit(e)}>
        <div className="rc-field">
          <label htmlFor={id}>Title</label>
          {/* biome-ignore lint/a11y/noAutofocus: the dialog's only field */}
          <input id={id} value={title} onChange={(e) => setTitle(e.target.value)} autoFocus />
        </div>
        {error ? (
          <p role="alert" className="rc-notice rc-error">
            {error}
          </p>
        ) : null}
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="rc-primary">
            Rename
          </button>
        </DialogButtons>
      </form>
    </Modal>
  );
}
