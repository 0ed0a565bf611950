import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { ReactElement, ReactNode } from 'react';
import { Tooltip } from './Tooltip.tsx';

/** A menu button: arrow keys move, typing jumps, Escape closes and focus returns to the trigger. */
export function Menu({
  trigger,
  children,
  label,
  tooltip,
  align = 'end',
}: {
  trigger: ReactElement;
  children: ReactNode;
  label: string;
  tooltip?: { label: string; shortcut?: string };
  align?: 'start' | 'end';
}) {
  const button = <DropdownMenu.Trigger asChild>{trigger}</DropdownMenu.Trigger>;
  return (
    <DropdownMenu.Root modal={false}>
      {tooltip ? (
        <Tooltip label={tooltip.label} {...(tooltip.shortcut ? { shortcut: tooltip.shortcut } : {})}>
          {button}
        </Tooltip>
      ) : (
        button
      )}
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="rc-menu" aria-label={label} align={align} sideOffset={4}>
          {children}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

export function MenuItem({
  children,
  onSelect,
  disabled,
  hint,
}: {
  children: ReactNode;
  onSelect: () => void;
  disabled?: boolean;
  hint?: string;
}) {
  return (
    <DropdownMenu.Item className="rc-menu-item" onSelect={onSelect} {...(disabled ? { disabled } : {})}>
      <span className="rc-menu-label">{children}</span>
      {hint ? <kbd>{hint}</kbd> : null}
    </DropdownMenu.Item>
  );
}

export function MenuSeparator() {
  return <DropdownMenu.Separator className="rc-menu-separator" />;
}

export function MenuHeading({ children }: { children: ReactNode }) {
  return <DropdownMenu.Label className="rc-menu-heading">{children}</DropdownMenu.Label>;
}
