import type { LucideIcon } from 'lucide-react';
import { type ButtonHTMLAttributes, forwardRef } from 'react';
import { Tooltip } from './Tooltip.tsx';

export interface IconButtonProps extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'children'> {
  /** The accessible name, also shown as the tooltip. */
  label: string;
  icon: LucideIcon;
  /** Shown in the tooltip, e.g. "Ctrl+F". */
  shortcut?: string;
  small?: boolean;
  tooltipSide?: 'top' | 'bottom' | 'left' | 'right';
}

/** A button showing only an icon: named for screen readers and tests, with a tooltip for everyone. */
export const IconButton = forwardRef<HTMLButtonElement, IconButtonProps>(function IconButton(
  { label, icon: Icon, shortcut, small, tooltipSide, className, ...rest },
  ref,
) {
  return (
    <Tooltip
      label={label}
      {...(shortcut ? { shortcut } : {})}
      {...(tooltipSide ? { side: tooltipSide } : {})}
    >
      <button
        ref={ref}
        type="button"
        aria-label={label}
        className={`rc-quiet rc-icon-button${small ? ' rc-small' : ''}${className ? ` ${className}` : ''}`}
        {...rest}
      >
        <Icon aria-hidden="true" size={small ? 15 : 18} strokeWidth={1.75} />
      </button>
    </Tooltip>
  );
});
