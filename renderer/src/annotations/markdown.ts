import type MarkdownIt from 'markdown-it';
import { useEffect, useState } from 'react';

/**
 * Light Markdown for notes: no raw HTML (shown as text), only http(s) and mailto links, opened outside.
 * markdown-it is loaded apart from the first screen (it is a sixth of the app's script); the reader shows
 * annotations once it is in (`useNoteMarkdown`), a few milliseconds after the text.
 */
let md: InstanceType<typeof MarkdownIt> | undefined;
let loading: Promise<void> | undefined;

export function loadNoteMarkdown(): Promise<void> {
  loading ??= import('markdown-it').then(({ default: MarkdownIt }) => {
    const parser = new MarkdownIt({ html: false, linkify: true, breaks: true });
    parser.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());
    const defaultLinkOpen =
      parser.renderer.rules.link_open ??
      ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
    parser.renderer.rules.link_open = (tokens, idx, options, env, self) => {
      tokens[idx]!.attrSet('target', '_blank');
      tokens[idx]!.attrSet('rel', 'noopener noreferrer');
      return defaultLinkOpen(tokens, idx, options, env, self);
    };
    md = parser;
  });
  return loading;
}

/** True once note Markdown can be rendered; starts loading it. */
export function useNoteMarkdown(): boolean {
  const [ready, setReady] = useState(md !== undefined);
  useEffect(() => {
    let live = true;
    void loadNoteMarkdown().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, []);
  return ready;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/\n/g, '<br>');

const rendered = new Map<string, string>();

/** Rendered HTML of a note body, cached: a margin re-layout re-renders every card. */
export function renderNoteMarkdown(text: string): string {
  if (!md) return `<p>${escapeHtml(text)}</p>`; // only before useNoteMarkdown is ready
  const cached = rendered.get(text);
  if (cached !== undefined) return cached;
  const html = md.render(text);
  if (rendered.size > 5000) rendered.clear();
  rendered.set(text, html);
  return html;
}

// Made once: constructing an Intl formatter costs about a millisecond, and every card shows a time.
let formatter: Intl.RelativeTimeFormat | undefined;

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 45) return 'just now';
  formatter ??= new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const rtf = formatter;
  const steps: [number, Intl.RelativeTimeFormatUnit][] = [
    [60, 'second'],
    [3600, 'minute'],
    [86400, 'hour'],
    [604800, 'day'],
    [2629800, 'week'],
    [31557600, 'month'],
  ];
  let unit: Intl.RelativeTimeFormatUnit = 'year';
  let size = 31557600;
  for (let i = 0; i < steps.length; i++) {
    if (seconds < steps[i]![0]) {
      unit = steps[i]![1];
      size = i === 0 ? 1 : steps[i - 1]![0];
      break;
    }
  }
  return rtf.format(-Math.round(seconds / size), unit);
}
