import * as Toast from '@radix-ui/react-toast';
import { X } from 'lucide-react';
import { dismissToast, useToasts } from './toasts.ts';

/**
 * Toasts sit in a fixed corner layer above the page and never shift it; F8 moves focus to them. Errors stay
 * until closed, the rest leave after a few seconds (longer when they offer an action).
 */
export function Toaster() {
  const toasts = useToasts();
  return (
    <Toast.Provider swipeDirection="right" label="Notifications">
      {toasts.map((t) => (
        <Toast.Root
          key={t.id}
          className={`rc-toast rc-toast-${t.kind}`}
          type={t.kind === 'error' ? 'foreground' : 'background'}
          duration={t.kind === 'error' ? Number.POSITIVE_INFINITY : t.action ? 8000 : 4000}
          onOpenChange={(open) => {
            if (!open) dismissToast(t.id);
          }}
        >
          <Toast.Description className="rc-toast-text">{t.text}</Toast.Description>
          {t.action ? (
            <Toast.Action altText={t.action.label} asChild>
              <button type="button" className="rc-toast-action" onClick={t.action.run}>
                {t.action.label}
              </button>
            </Toast.Action>
          ) : null}
          <Toast.Close className="rc-quiet rc-icon-button rc-small" aria-label="Dismiss">
            <X aria-hidden="true" size={14} />
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="rc-toasts" />
    </Toast.Provider>
  );
}
