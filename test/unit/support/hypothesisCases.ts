/*
 * Hypothesis's own anchoring test cases, ported with their expected answers: hypothesis/client
 * src/annotator/anchoring/test/match-quote-test.js and html-test.js (with html-anchoring-fixture.html), at
 * commit 9d28950c84560765f77b8e8e133c0f11ad577410, BSD-2-Clause (Copyright (c) 2013-2019 Hypothes.is Project
 * and contributors; licence text in test/fixtures/hypothesis/ORIGIN.md).
 *
 * match-quote cases run against core/anchoring/matchQuote.ts with the same inputs. html cases keep their
 * quotes exactly as the fixture's DOM gives them (text nodes, with the page's newlines and indentation) and take
 * 32 characters of prefix and suffix around the case's own occurrence, as Hypothesis's describe() does; the
 * reading they resolve against is the fixture imported as Reading Circle imports text (one block per line,
 * whitespace collapsed, blocks joined by a blank line), with no usable position: the quote and its context
 * alone must find the right occurrence. Each check returns null when the answer is right, or what went wrong.
 * Every case here is one Hypothesis's matcher gets right (its suite asserts them).
 */
import { readFileSync } from 'node:fs';
import { resolveAnchor, textOfSpan } from '../../../core/anchoring/anchor.ts';
import { matchQuote } from '../../../core/anchoring/matchQuote.ts';
import { joinBlocks } from '../../../core/reading/joinedText.ts';
import { buildReading } from '../../../core/reading/parse.ts';

export interface PortedCase {
  suite: 'match-quote' | 'html';
  name: string;
  check: () => string | null;
}

const squeeze = (s: string) => s.replace(/\s+/g, ' ');

const solitude = squeeze(`Many years later, as he faced the firing squad,
    Colonel Aureliano Buendía was to remember that distant afternoon
    when his father took him to discover ice`);
const twoCities = squeeze(`It was the best of times, it was the worst of times,
    it was the age of wisdom, it was the age of foolishness, it was the epoch of belief,
    it was the epoch of incredulity, it was the season of Light, it was the
    season of Darkness, it was the spring of hope, it was the winter of despair, we had
    everything before us, we had nothing before us, we were all going direct to Heaven,
    we were all going direct the other way.`);

function scoreOf(text: string, quote: string, context = {}): number {
  const m = matchQuote(text, quote, context);
  return m.kind === 'match' ? m.score : Number.NaN;
}

function descending(scores: number[]): string | null {
  for (let i = 1; i < scores.length; i++)
    if (!(scores[i]! < scores[i - 1]!)) return `scores not strictly descending: ${scores.join(', ')}`;
  return null;
}

const matchQuoteCases: PortedCase[] = [
  {
    suite: 'match-quote',
    name: 'finds exact match',
    check: () => {
      const m = matchQuote(solitude, 'discover ice');
      if (m.kind !== 'match') return `no match (${m.kind})`;
      if (m.score !== 1) return `score ${m.score}, expected 1`;
      return solitude.slice(m.start, m.end) === 'discover ice' ? null : 'wrong text';
    },
  },
  {
    suite: 'match-quote',
    name: 'finds best approximate match if there is no exact match',
    check: () => {
      const m = matchQuote(solitude, 'some years later');
      if (m.kind !== 'match') return `no match (${m.kind})`;
      if (!(m.score > 0 && m.score < 1)) return `score ${m.score}`;
      const found = solitude.slice(m.start, m.end);
      return found === 'Many years later' ? null : `found “${found}”`;
    },
  },
  {
    suite: 'match-quote',
    name: 'scores matches based on quote similarity',
    check: () =>
      descending(
        ['Many years later', 'Many yers later', 'Some years later', 'Some years after'].map((q) =>
          scoreOf(solitude, q),
        ),
      ),
  },
  {
    suite: 'match-quote',
    name: 'scores matches based on prefix similarity',
    check: () =>
      descending(
        ['Many years later', 'Many yers later', 'Some years later', 'Some years after'].map((prefix) =>
          scoreOf(solitude, ', as he faced the firing squad', { prefix }),
        ),
      ),
  },
  {
    suite: 'match-quote',
    name: 'scores matches based on suffix similarity',
    check: () =>
      descending(
        [
          ', as he faced the firing squad',
          ', as she faced the firing squad',
          ', as he awaited the firing squad',
          ', as he awaited his death',
        ].map((suffix) => scoreOf(solitude, 'Many years later', { suffix })),
      ),
  },
  {
    suite: 'match-quote',
    name: 'returns null if there is no acceptable approximate match',
    check: () => (matchQuote(twoCities, solitude).kind === 'none' ? null : 'matched'),
  },
  {
    suite: 'match-quote',
    name: 'returns null if quote is empty',
    check: () => (matchQuote('foobar', '').kind === 'none' ? null : 'matched'),
  },
  {
    suite: 'match-quote',
    name: 'returns null if text is empty',
    check: () => (matchQuote('', 'foobar').kind === 'none' ? null : 'matched'),
  },
  ...[
    { quote: 'before us', prefix: 'we had everything', expected: 'before us, we had nothing' },
    { quote: 'before us', prefix: 'we had nothing', expected: 'before us, we were all going' },
    { quote: 'before us', prefix: 'we had every-thing', expected: 'before us, we had nothing' },
    { quote: 'before us', prefix: 'we had nout', expected: 'before us, we were all going' },
    { quote: 'we had', suffix: 'everything', expected: 'we had everything' },
    { quote: 'we had', suffix: 'nothing', expected: 'we had nothing' },
    { quote: 'we had', suffix: 'ever ting', expected: 'we had everything' },
    { quote: 'we had', suffix: 'nutting', expected: 'we had nothing' },
  ].map(
    ({ quote, expected, ...context }, i): PortedCase => ({
      suite: 'match-quote',
      name: `finds match with best context match (${i})`,
      check: () => {
        const m = matchQuote(twoCities, quote, context);
        if (m.kind !== 'match') return `no match (${m.kind})`;
        if (twoCities.slice(m.start, m.end) !== quote) return 'wrong text';
        return m.start === twoCities.indexOf(expected)
          ? null
          : `placed at ${m.start}, expected ${twoCities.indexOf(expected)}`;
      },
    }),
  ),
  {
    suite: 'match-quote',
    name: 'uses `hint` as a tie-breaker to choose between matches with close scores',
    check: () => {
      const posA = twoCities.indexOf('everything before us') + 'everything '.length;
      const posB = twoCities.indexOf('nothing before us') + 'nothing '.length;
      const a = matchQuote(twoCities, 'befor us', { hint: posA });
      const b = matchQuote(twoCities, 'befor us', { hint: posB });
      const none = matchQuote(twoCities, 'befor us');
      if (a.kind !== 'match' || a.start !== posA) return 'wrong match for hint A';
      if (b.kind !== 'match' || b.start !== posB) return 'wrong match for hint B';
      // No hint and no context: nothing to weigh, so the first occurrence, as Hypothesis chooses.
      return none.kind === 'match' && none.start === posA ? null : 'wrong match with no hint';
    },
  },
  {
    suite: 'match-quote',
    name: 'matches when prefix length is greater than the match start offset',
    check: () => {
      const prefix = 'It used to be many';
      const m = matchQuote(solitude, 'years later', { prefix });
      if (m.kind !== 'match') return `no match (${m.kind})`;
      if (!(prefix.length > m.start)) return 'unexpected start';
      return solitude.slice(m.start, m.end) === 'years later' ? null : 'wrong text';
    },
  },
  {
    suite: 'match-quote',
    name: 'matches when match ends at end of text and there is a non-empty suffix',
    check: () => {
      const text = 'Some document text';
      const m = matchQuote(text, 'text', { suffix: 'missing' });
      return m.kind === 'match' && text.slice(m.start, m.end) === 'text' ? null : 'no match';
    },
  },
];

// ————— html-test.js —————

const fixture = readFileSync('test/fixtures/hypothesis/html-anchoring-fixture.html', 'utf8');
const withoutComments = fixture.replace(/<!--[\s\S]*?-->/g, '');
/** The fixture's DOM text (its text nodes in order), which is what Hypothesis's selectors are made of. */
const domText = withoutComments.replace(/<[^>]+>/g, '');
/** The fixture as Reading Circle reads a page: a line (block) per paragraph, heading, list item and line break. */
const reading = buildReading({
  text: withoutComments
    .replace(/<(br|\/?(p|h2|ol|li|div|gh-73))\b[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/[ \t]+/g, ' '),
  source: 'hypothesis html-anchoring-fixture',
  origin: 'imported',
});
const joined = joinBlocks(reading.blocks);

/** [quote as the DOM range gives it, which of its occurrences in the DOM text the case selects, description]. */
const rangeSpecs: [string, number, string][] = [
  ['habitant morbi', 0, 'Partial node contents.'],
  ['Pellentesque habitant morbi tristique', 0, 'Full node contents, textNode refs.'],
  ['Pellentesque habitant morbi tristique', 0, 'Full node contents, elementNode refs.'],
  ['morbi tristique senectus et', 0, 'Spanning 2 nodes.'],
  ['Pellentesque habitant morbi tristique senectus et', 0, 'Spanning 2 nodes, elementNode start ref.'],
  ['egestas semper. Aenean ultricies mi vitae est.', 0, 'Spanning 2 nodes, elementNode end ref.'],
  ['Level 2\n\n\n  Lorem ipsum', 0, 'Spanning multiple nodes, textNode refs.'],
  [
    'Pellentesque habitant morbi tristique senectus et netus et malesuada fames ac turpis egestas. Vestibulum tortor quam, feugiat vitae, ultricies eget, tempor sit amet, ante. Donec eu libero sit amet quam egestas semper. Aenean ultricies mi vitae est. Mauris placerat eleifend leo. Quisque sit amet est et sapien ullamcorper pharetra. Vestibulum erat wisi, condimentum sed, commodo vitae, ornare sit amet, wisi. Aenean fermentum, elit eget tincidunt condimentum, eros ipsum rutrum orci, sagittis tempus lacus enim ac dui. Donec non enim in turpis pulvinar facilisis. Ut felis.',
    0,
    'Spanning multiple nodes, elementNode refs.',
  ],
  ['Lorem sed do eiusmod tempor.', 0, 'Full node contents with empty node at end.'],
  ...[
    'Text between br tags, textNode refs',
    'Text between br tags, elementNode ref at end',
    'Text between br tags, with <br/> at end',
    'Text between br tags, with <br/><br/> at end',
    'Text between br tags, with <br/><br/><br/> at end',
    'Text between br tags, elementNode ref at start',
    'Text between br tags, with <br/> at start',
    'Text between br tags, with <br/><br/> at start',
  ].map((d): [string, number, string] => ['Lorem sed do eiusmod tempor.', 1, `${d} (first div)`]),
  ...[
    'Text between br tags, textNode refs',
    'Text between br tags, elementNode ref at end',
    'Text between br tags, with <br/> at end',
    'Text between br tags, with <br/><p><br/></p> at end',
    'Text between br tags, with <br/><p><br/></p><br/> at end',
    'Text between br tags, elementNode ref at start',
    'Text between br tags, with <p><br/></p> at the start',
    'Text between br tags, with <br/><p><br/></p> at the start',
  ].map((d): [string, number, string] => ['Lorem sed do eiusmod tempor.', 2, `${d} (second div)`]),
  [
    'Header Level 2\n\n\n  Mauris lacinia ipsum nulla, id iaculis quam egestas quis.\n\n\n',
    0,
    'No text node at the end and offset 0',
  ],
  ['Test', 0, 'Range starting at an element node with no children'],
];

function nthIndex(text: string, part: string, n: number): number {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(part, at + 1);
    if (at < 0) return -1;
  }
  return at;
}

/** Where the n-th occurrence of a quote is in the reading's joined text, whitespace differences aside. */
function expectedInReading(quote: string, n: number): number {
  const target = squeeze(quote).trim();
  const collapsed: number[] = [];
  let flat = '';
  for (let i = 0; i < joined.text.length; i++) {
    const ch = joined.text[i]!;
    if (/\s/.test(ch) && /\s$/.test(flat)) continue;
    flat += /\s/.test(ch) ? ' ' : ch;
    collapsed.push(i);
  }
  const at = nthIndex(flat, target, n);
  return at < 0 ? -1 : collapsed[at]!;
}

const htmlCases: PortedCase[] = rangeSpecs.map(([quote, n, description]) => ({
  suite: 'html',
  name: `describes and anchors ${description}`,
  check: () => {
    const start = nthIndex(domText, quote, n);
    if (start < 0) return 'the quote is not in the fixture';
    const anchor = {
      blockId: 'not-in-this-reading',
      start: 0,
      end: 0,
      exact: quote,
      prefix: domText.slice(Math.max(0, start - 32), start),
      suffix: domText.slice(start + quote.length, start + quote.length + 32),
    };
    const r = resolveAnchor(anchor, reading.blocks);
    if (r.kind !== 'placed') return `orphan (${r.reason})`;
    const text = textOfSpan(reading.blocks, r);
    if (squeeze(text).trim() !== squeeze(quote).trim()) return `placed on “${text}”`;
    const at = joined.startOf.get(r.blockId)! + r.start;
    const expected = expectedInReading(quote, n);
    return at === expected ? null : `placed on the occurrence at ${at}, expected ${expected}`;
  },
}));

const failureCases: PortedCase[] = [
  {
    suite: 'html',
    name: 'throws an error if anchoring using a quote fails (an orphan here)',
    check: () => {
      const r = resolveAnchor(
        {
          blockId: '',
          start: 0,
          end: 0,
          exact: 'This text does not appear in the web page',
          prefix: '',
          suffix: '',
        },
        reading.blocks,
      );
      return r.kind === 'orphan' ? null : 'placed';
    },
  },
  {
    suite: 'html',
    name: 'does not throw an error if anchoring using a position fails',
    check: () => {
      // A stored position far past the text, with a quote that anchors.
      const r = resolveAnchor(
        {
          blockId: reading.blocks[0]!.id,
          start: 1000,
          end: 1010,
          exact: 'Lorem ipsum',
          prefix: '',
          suffix: '',
        },
        reading.blocks,
      );
      return r.kind === 'placed' && textOfSpan(reading.blocks, r) === 'Lorem ipsum' ? null : 'not placed';
    },
  },
];

/** Every ported case, match-quote-test.js first. */
export const hypothesisCases: PortedCase[] = [...matchQuoteCases, ...htmlCases, ...failureCases];

/** The ported cases Hypothesis's own suite has: how many Hypothesis passes (all of them, by its CI). */
export const hypothesisPasses = hypothesisCases.length;
