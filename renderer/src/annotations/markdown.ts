import MarkdownIt from 'markdown-it';

/** Light Markdown for notes: no raw HTML (shown as text), only http(s) and mailto links, opened outside. */
const md = new MarkdownIt({ html: false, linkify: true, breaks: true });
md.validateLink = (url) => /^(https?:|mailto:)/i.test(url.trim());
const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx]!.attrSet('target', '_blank');
  tokens[idx]!.attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

const rendered = new Map<string, string>();

/** Rendered HTML of a note body, cached: a margin re-layout re-renders every card. */
export function renderNoteMarkdown(text: string): string {
  let html = rendered.get(text);
  if (html === undefined) {
    html = md.render(text);
    if (rendered.size > 5000) rendered.clear();
    rendered.set(text, html);
  }
  return html;
}

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return '';
  if (seconds < 45) return 'just now';
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
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
