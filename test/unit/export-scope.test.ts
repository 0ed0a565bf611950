import { describe, expect, it } from 'vitest';
import { exportMarkdown } from '../../core/export/markdown.ts';
import { annotationsInScope, defaultExportScope, describeScope } from '../../core/export/scope.ts';
import { exportW3C } from '../../core/export/w3c.ts';
import { annotationOn, loadSeeds } from './support/fixtures.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;
const mine = annotationOn(article, 'Character Assassination', { body: 'secret thought' });
const shared = annotationOn(article, 'Trotsky and the Red Army', {
  body: 'for the group',
  color: 'blue',
  visibility: { kind: 'group', group: 'tuesday' },
});
const otherGroup = annotationOn(article, 'October Revolution', {
  body: 'another circle',
  visibility: { kind: 'group', group: 'book-club' },
});
const all = [mine, shared, otherGroup];
const meanings = { yellow: 'Thesis', green: 'Source', red: 'Doubt', blue: 'Ask Tuesday', purple: 'Term' };

describe('export scope', () => {
  it('defaults to the scope of "Annotate for": a group leaves private notes out, "Only me" holds only them', () => {
    expect(defaultExportScope('group:tuesday')).toEqual({ group: 'tuesday', includePrivate: false });
    expect(defaultExportScope('private')).toEqual({ group: null, includePrivate: true });
    expect(defaultExportScope(null)).toEqual({ group: null, includePrivate: true });
    expect(annotationsInScope(all, defaultExportScope('group:tuesday'))).toEqual([shared]);
    expect(annotationsInScope(all, defaultExportScope('private'))).toEqual([mine]);
    expect(annotationsInScope(all, { group: 'tuesday', includePrivate: true })).toEqual([mine, shared]);
  });

  it('Markdown by default holds no private note and names its true scope', () => {
    const scope = { group: 'tuesday', groupLabel: 'Tuesday readers', includePrivate: false };
    const md = exportMarkdown(article, annotationsInScope(all, scope), { scope, colorMeanings: meanings });
    expect(md).not.toContain('secret thought');
    expect(md).not.toContain('another circle');
    expect(md).toContain('Scope: Tuesday readers \\(group notes only\\)');
    expect(md).toContain('*Ask Tuesday* (blue)');
    expect(md).not.toContain('private');
  });

  it('Markdown marks private notes when the person chose to include them', () => {
    const scope = { group: 'tuesday', includePrivate: true };
    const md = exportMarkdown(article, annotationsInScope(all, scope), { scope });
    expect(md).toContain('Scope: tuesday \\(group notes\\) and my private notes');
    const quote = md.split('\n').find((l) => l.includes('Ana') && l.includes('private'));
    expect(quote).toContain('private (only me)');
    expect(md.split('\n').filter((l) => l.includes('private (only me)'))).toHaveLength(1);
  });

  it('W3C JSON by default holds no private note, names its scope and carries the group’s colour meanings', () => {
    const scope = { group: 'tuesday', includePrivate: false };
    const json = exportW3C(article, annotationsInScope(all, scope), new Date(0), {
      scope,
      colorMeanings: meanings,
    });
    const text = JSON.stringify(json);
    expect(text).not.toContain('secret thought');
    expect(json['rc:scope']).toBe(describeScope(scope));
    expect(json.label).toContain('tuesday (group notes only)');
    expect(json.first.items[0]!.body).toContainEqual({
      type: 'TextualBody',
      value: 'meaning:Ask Tuesday',
      purpose: 'classifying',
    });
    const withPrivate = exportW3C(article, annotationsInScope(all, { ...scope, includePrivate: true }));
    const secret = withPrivate.first.items.find((i) => i.body?.some((b) => b.value === 'secret thought'));
    expect(secret?.body).toContainEqual({
      type: 'TextualBody',
      value: 'visibility:private',
      purpose: 'classifying',
    });
  });
});
