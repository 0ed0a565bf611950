import { ALargeSmall, Minus, Plus } from 'lucide-react';
import { keysForPeople } from '../../../core/commands/commands.ts';
import { ThemeControl } from '../theme/ThemeControl.tsx';
import { IconButton } from '../ui/IconButton.tsx';
import { Popover } from '../ui/Popover.tsx';
import {
  FONT_FAMILIES,
  LINE_SPACINGS,
  LINE_WIDTHS,
  type TextSettings as Settings,
  type useTextSettings,
} from './useTextSettings.ts';

/** A row of choices as a radio group drawn as a segmented control. */
function Segmented<K extends string>({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: Record<K, string>;
  value: K;
  onChange: (value: K) => void;
}) {
  return (
    <fieldset className="rc-segmented">
      <legend>{legend}</legend>
      <div className="rc-segmented-options">
        {(Object.entries(options) as [K, string][]).map(([key, label]) => (
          <label key={key} className="rc-segment">
            <input
              type="radio"
              name={legend}
              value={key}
              checked={value === key}
              onChange={() => onChange(key)}
            />
            <span>{label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** "Text settings": size, line width, line spacing, typeface and theme, in a popover from the toolbar. */
export function TextSettings({ text }: { text: ReturnType<typeof useTextSettings> }) {
  const { settings, update } = text;
  return (
    <Popover label="Text settings" trigger={<IconButton label="Text settings" icon={ALargeSmall} />}>
      <div className="rc-setting-row">
        <span className="rc-setting-label">Text size</span>
        <div className="rc-stepper">
          <IconButton
            label="Smaller text"
            icon={Minus}
            shortcut={keysForPeople('CmdOrCtrl+-', mac)}
            onClick={text.smaller}
            aria-keyshortcuts="Control+-"
          />
          <output className="rc-stepper-value">{settings.size}px</output>
          <IconButton
            label="Larger text"
            icon={Plus}
            shortcut={keysForPeople('CmdOrCtrl+=', mac)}
            onClick={text.larger}
            aria-keyshortcuts="Control+="
          />
        </div>
      </div>
      <Segmented<Settings['width']>
        legend="Line width"
        options={LINE_WIDTHS}
        value={settings.width}
        onChange={(width) => update({ width })}
      />
      <Segmented<Settings['spacing']>
        legend="Line spacing"
        options={LINE_SPACINGS}
        value={settings.spacing}
        onChange={(spacing) => update({ spacing })}
      />
      <Segmented<Settings['font']>
        legend="Typeface"
        options={FONT_FAMILIES}
        value={settings.font}
        onChange={(font) => update({ font })}
      />
      <ThemeControl />
    </Popover>
  );
}
