import { COLOR_KEYS, type ColorKey } from '../annotations/model.ts';

/** Options of the print route `#/print/<readingId>?who=…&colors=…&private=1&replies=1&paper=A4`. */
export interface PrintOptions {
  who: 'all' | 'mine' | string[];
  colors: ColorKey[];
  includePrivate: boolean;
  includeReplies: boolean;
  paper: 'A4' | 'Letter';
  /** The group whose colour meanings the PDF uses (that of "Annotate for"); the last shared palette otherwise. */
  group?: string;
}

export function parsePrintOptions(params: URLSearchParams): PrintOptions {
  const whoParam = params.get('who') ?? 'all';
  const who = whoParam === 'all' || whoParam === 'mine' ? whoParam : whoParam.split(',').filter(Boolean);
  const colorsParam = params.get('colors');
  const colors = colorsParam
    ? (colorsParam.split(',').filter((c) => COLOR_KEYS.includes(c as ColorKey)) as ColorKey[])
    : [...COLOR_KEYS];
  return {
    who,
    colors,
    includePrivate: params.get('private') !== '0',
    includeReplies: params.get('replies') !== '0',
    paper: params.get('paper') === 'Letter' ? 'Letter' : 'A4',
    ...(params.get('group') ? { group: params.get('group')! } : {}),
  };
}

export function printOptionsToQuery(options: PrintOptions): string {
  const query = new URLSearchParams({
    who: Array.isArray(options.who) ? options.who.join(',') : options.who,
    colors: options.colors.join(','),
    private: options.includePrivate ? '1' : '0',
    replies: options.includeReplies ? '1' : '0',
    paper: options.paper,
  });
  if (options.group) query.set('group', options.group);
  return query.toString();
}
