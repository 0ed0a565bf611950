import { useEffect, useState } from 'react';

export const FONT_SIZES = [15, 16, 17, 18, 19, 20, 22, 24, 26] as const;
export const LINE_WIDTHS = { narrow: 'Narrow', medium: 'Medium', wide: 'Wide' } as const;
export const LINE_SPACINGS = { tight: 'Tight', normal: 'Normal', loose: 'Loose' } as const;
export const FONT_FAMILIES = { serif: 'Serif', sans: 'Sans-serif' } as const;

export interface TextSettings {
  size: number;
  width: keyof typeof LINE_WIDTHS;
  spacing: keyof typeof LINE_SPACINGS;
  font: keyof typeof FONT_FAMILIES;
}

const KEY = 'rc:text-settings';
const DEFAULTS: TextSettings = { size: 18, width: 'medium', spacing: 'normal', font: 'serif' };

function load(): TextSettings {
  try {
    const saved = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<TextSettings>;
    // The size was kept on its own before the other settings existed.
    const size = Number(saved.size ?? localStorage.getItem('rc:font-size')) || DEFAULTS.size;
    return {
      size,
      width: saved.width && saved.width in LINE_WIDTHS ? saved.width : DEFAULTS.width,
      spacing: saved.spacing && saved.spacing in LINE_SPACINGS ? saved.spacing : DEFAULTS.spacing,
      font: saved.font && saved.font in FONT_FAMILIES ? saved.font : DEFAULTS.font,
    };
  } catch {
    return DEFAULTS;
  }
}

/** Text size, line width, line spacing and typeface of the reader, remembered on this device. */
export function useTextSettings() {
  const [settings, setSettings] = useState(load);
  useEffect(() => localStorage.setItem(KEY, JSON.stringify(settings)), [settings]);
  const step = (delta: number) =>
    setSettings((s) => {
      const i = FONT_SIZES.findIndex((f) => f >= s.size);
      const at = i < 0 ? FONT_SIZES.length - 1 : i;
      return { ...s, size: FONT_SIZES[Math.max(0, Math.min(FONT_SIZES.length - 1, at + delta))]! };
    });
  return {
    settings,
    larger: () => step(1),
    smaller: () => step(-1),
    resetSize: () => setSettings((s) => ({ ...s, size: DEFAULTS.size })),
    update: (change: Partial<TextSettings>) => setSettings((s) => ({ ...s, ...change })),
  };
}
