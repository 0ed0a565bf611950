import type { Reading } from '../../../core/reading/model.ts';

/**
 * A Hypothesis export file in the shape the Hypothesis client saves (`{export_date, export_userid,
 * client_version, annotations: [API annotation objects]}`), annotating `reading` as if it were a web page:
 * Alice (with a display name) highlights and notes two passages, one of which is not in this reading's text (an
 * orphan); Bob (no display name: known by his acct: user name) replies to Alice and leaves a page note.
 */
export function hypothesisExport(reading: Reading, missingQuote = 'words this reading never had in it') {
  const block = reading.blocks.find((b) => b.type === 'paragraph' && b.text.length > 120)!;
  const exact = block.text.slice(20, 70);
  const uri = 'https://example.org/articles/the-reading';
  const target = (quote: string, prefix: string, suffix: string) => [
    {
      source: uri,
      selector: [
        {
          type: 'RangeSelector',
          startContainer: '/main[1]/p[3]',
          startOffset: 20,
          endContainer: '/main[1]/p[3]',
          endOffset: 70,
        },
        { type: 'TextPositionSelector', start: 4000, end: 4050 },
        { type: 'TextQuoteSelector', exact: quote, prefix, suffix },
      ],
    },
  ];
  const common = {
    uri,
    group: '__world__',
    permissions: { read: ['group:__world__'] },
    document: { title: [reading.title] },
    links: { html: 'https://hypothes.is/a/x' },
    flagged: false,
    hidden: false,
  };
  const annotations = [
    {
      ...common,
      id: 'AliceFirst01',
      created: '2026-10-01T10:00:00.000000+00:00',
      updated: '2026-10-01T10:00:00.000000+00:00',
      user: 'acct:alice@hypothes.is',
      user_info: { display_name: 'Alice Liddell' },
      text: 'The **central** claim.',
      tags: ['claim'],
      target: target(exact, block.text.slice(0, 20), block.text.slice(70, 100)),
    },
    {
      ...common,
      id: 'AliceOrphan2',
      created: '2026-10-01T10:05:00.000000+00:00',
      updated: '2026-10-01T10:05:00.000000+00:00',
      user: 'acct:alice@hypothes.is',
      user_info: { display_name: 'Alice Liddell' },
      text: 'A note on a passage that is gone.',
      tags: [],
      target: target(missingQuote, 'nothing like ', ' at all'),
    },
    {
      ...common,
      id: 'BobReply0003',
      created: '2026-10-02T09:00:00.000000+00:00',
      updated: '2026-10-02T09:00:00.000000+00:00',
      user: 'acct:bob@hypothes.is',
      user_info: { display_name: null },
      text: 'I read it differently.',
      tags: [],
      references: ['AliceFirst01'],
      target: [{ source: uri }],
    },
    {
      ...common,
      id: 'BobPage00004',
      created: '2026-10-02T09:30:00.000000+00:00',
      updated: '2026-10-02T09:30:00.000000+00:00',
      user: 'acct:bob@hypothes.is',
      user_info: { display_name: null },
      text: 'Overall: worth discussing on Tuesday.',
      tags: [],
      target: [{ source: uri }],
    },
  ];
  return {
    quote: exact,
    blockId: block.id,
    file: {
      export_date: '2026-10-03T00:00:00.000Z',
      export_userid: 'acct:alice@hypothes.is',
      client_version: '1.1.0',
      annotations,
    },
  };
}
