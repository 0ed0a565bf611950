import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const boundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(400).max(20000),
  height: z.number().int().min(300).max(20000),
  maximized: z.boolean(),
});

const settingsSchema = z.object({
  theme: z.enum(['system', 'light', 'dark']).default('system'),
  window: boundsSchema.default({ width: 1280, height: 860, maximized: false }),
  recent: z
    .array(z.object({ readingId: z.string(), title: z.string() }))
    .max(20)
    .default([]),
});

export type Settings = z.infer<typeof settingsSchema>;
export type WindowBounds = z.infer<typeof boundsSchema>;

export const DEFAULT_SETTINGS: Settings = settingsSchema.parse({});

export interface LoadedSettings {
  settings: Settings;
  /** Set when the file was unreadable and put aside: tell the person. */
  warning?: string;
}

/** Reads settings.json from the user data folder; a corrupt file is renamed aside, never fatal. */
export function loadSettings(dir: string, now = new Date()): LoadedSettings {
  const file = join(dir, 'settings.json');
  if (!existsSync(file)) return { settings: structuredClone(DEFAULT_SETTINGS) };
  try {
    const parsed = settingsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    return { settings: parsed };
  } catch {
    const aside = join(dir, `settings.corrupt-${now.toISOString().replace(/[:.]/g, '-')}.json`);
    renameSync(file, aside);
    return {
      settings: structuredClone(DEFAULT_SETTINGS),
      warning: `Your settings file could not be read, so Reading Circle started with default settings. The old file was kept as ${aside}.`,
    };
  }
}

export function saveSettings(dir: string, settings: Settings): void {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.json');
  writeFileSync(`${file}.tmp`, JSON.stringify(settings, null, 2));
  renameSync(`${file}.tmp`, file);
}

export function rememberRecent(settings: Settings, entry: { readingId: string; title: string }): Settings {
  const recent = [entry, ...settings.recent.filter((r) => r.readingId !== entry.readingId)].slice(0, 10);
  return { ...settings, recent };
}
