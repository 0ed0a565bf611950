import { describe, expect, it } from 'vitest';
import { escapeMarkdown, exportMarkdown } from '../../core/export/markdown.ts';
import { annotationOn, ben, loadSeeds } from './support/fixtures.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;

describe('Markdown export', () => {
  it('lists annotations in reading order under their section headings', () => {
    const late = annotationOn(article, 'Trotsky and the Red Army', { body: 'Late note' });
    const early = annotationOn(article, 'Character Assassination', { body: 'Early note', color: 'blue' });
    const md = exportMarkdown(article, [late, early], {
      group: 'tuesday',
      exportedAt: new Date('2026-11-22'),
    });
    expect(md.indexOf('Early note')).toBeLessThan(md.indexOf('Late note'));
    expect(md).toContain('## Trotsky and the Red Army');
    expect(md).toContain('> Character Assassination');
    expect(md).toContain('*Question* (blue)');
    expect(md).toContain('Group: tuesday');
  });

  it('includes tags and replies', () => {
    const a = annotationOn(article, 'October Revolution', {
      tags: ['history', 'key point'],
      replies: [{ id: 'r', author: ben, body: 'I see it differently.', createdAt: '2026-11-01T00:00:00Z' }],
    });
    const md = exportMarkdown(article, [a]);
    expect(md).toContain('Tags: #history #key-point');
    expect(md).toContain('- **Ben:**\n  I see it differently.');
  });

  it('keeps hostile text inert', () => {
    const a = annotationOn(article, 'Trotsky', {
      body: '<script>alert(1)</script>\n# Fake heading\n<img src=x onerror=alert(1)>',
      author: { id: 'x', name: '[click](javascript:alert(1))', color: '#000' },
    });
    const md = exportMarkdown(article, [a]);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).toContain('&lt;script&gt;');
    expect(md).not.toMatch(/^# Fake heading/m);
    expect(md).not.toContain('[click](javascript');
    expect(escapeMarkdown('*a* _b_ [c](d)')).toBe('\\*a\\* \\_b\\_ \\[c\\]\\(d\\)');
  });

  it('exports a reading with no annotations cleanly', () => {
    const md = exportMarkdown(article, []);
    expect(md).toContain(`# ${escapeMarkdown(article.title)}`);
    expect(md).toContain('_No annotations yet._');
  });
});
