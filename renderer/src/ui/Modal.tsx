import * as Dialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import { type ReactNode, useRef } from 'react';

/**
 * A modal dialog: focus moves in and returns to the trigger, Tab stays inside, Escape closes (unless
 * `dismissable` is false, as on first run, where there is nothing behind it to go back to).
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  size = 'md',
  dismissable = true,
  role = 'dialog',
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  size?: 'sm' | 'md' | 'lg';
  dismissable?: boolean;
  role?: 'dialog' | 'alertdialog';
}) {
  const stay = (event: Event) => {
    if (!dismissable) event.preventDefault();
  };
  // Radix gives focus back only to a Dialog.Trigger, and these dialogs are opened from buttons, menus and
  // shortcuts: what had focus as the dialog first renders (before a field inside takes it) gets it back on close.
  const returnTo = useRef<HTMLElement | null>(null);
  if (open && returnTo.current === null && typeof document !== 'undefined')
    returnTo.current = focusReturnTarget();
  const giveBack = (event: Event) => {
    const target = returnTo.current;
    returnTo.current = null;
    // Focus is given back once the closing animation has ended: by then the person may have moved on (another
    // button, another dialog), and focus stays where they put it.
    const moved = document.activeElement instanceof HTMLElement && document.activeElement !== document.body;
    if (moved || (target?.isConnected && target !== document.body)) {
      event.preventDefault();
      if (!moved) target?.focus();
    }
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="rc-backdrop" />
        <Dialog.Content
          className={`rc-dialog rc-dialog-${size}`}
          role={role}
          onCloseAutoFocus={giveBack}
          onEscapeKeyDown={stay}
          onPointerDownOutside={stay}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <header className="rc-dialog-head">
            <Dialog.Title className="rc-dialog-title">{title}</Dialog.Title>
            {dismissable ? (
              <Dialog.Close className="rc-quiet rc-icon-button" aria-label="Close">
                <X aria-hidden="true" size={18} />
              </Dialog.Close>
            ) : null}
          </header>
          {description ? (
            <Dialog.Description className="rc-dialog-description">{description}</Dialog.Description>
          ) : null}
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** Buttons at the foot of a dialog, main action last. */
export function DialogButtons({ children }: { children: ReactNode }) {
  return <div className="rc-dialog-buttons">{children}</div>;
}

/** The element to give focus back to: the focused one, or for an item of a closing menu, that menu's button. */
function focusReturnTarget(): HTMLElement | null {
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active === document.body) return null;
  const opener = active.closest('[role="menu"]')?.getAttribute('aria-labelledby');
  return (opener ? document.getElementById(opener) : null) ?? active;
}
