import { describe, expect, it } from 'vitest';
import { applyEdits, assembleDraft } from './draft';
import { postmortemHtml } from './html';
import { mdInline, postmortemMarkdown } from './markdown';
import { testInput } from './test-input';

const draft = () => assembleDraft(testInput());

describe('print HTML', () => {
  it('is one self-contained document: title block, sections, inline SVG charts, no scripts or remote resources', () => {
    const html = postmortemHtml(draft(), { generatedAt: 0 });
    for (const h of ['Summary', 'Impact', 'Detection', 'Root cause', 'Contributing factors', 'Action items', 'Timeline', 'Evidence', 'Goroutines', 'Heap', 'Audit log excerpt', 'Kubernetes events excerpt']) expect(html).toContain(`>${h}</h2>`);
    expect(html).toContain('<span class="chip sev-sev1">SEV1</span>');
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('@page { size: A4;');
    expect(html).not.toMatch(/<script|src="http|href="http|<link/);
  });

  it('escapes everything people wrote', () => {
    const d = applyEdits(draft(), { summary: '<img src=x onerror=alert(1)>', actionItems: [{ text: '<b>x</b>', owner: '"o"', status: 'open' }] });
    const html = postmortemHtml(d, { generatedAt: 0 });
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<b>x</b>');
  });
});

describe('Markdown', () => {
  it('references charts as relative files, or inlines them as data: URIs', () => {
    const files = postmortemMarkdown(draft(), { generatedAt: 0, images: 'files' });
    expect(files.markdown).toContain('# Postmortem: etcd out of space');
    expect(files.markdown).toContain('![etcd database size vs quota](charts/etcd-db-size.svg)');
    expect(files.charts.map((c) => c.file)).toEqual(['charts/etcd-db-size.svg']);
    expect(files.markdown).toMatch(/\| 04:43:00–04:57:00 \| finding \|/);
    expect(files.markdown).toContain('- [ ] Finish: etcd out of space (NOSPACE): Disarm the alarm (failed during the incident)');
    const inline = postmortemMarkdown(draft(), { generatedAt: 0, images: 'inline' });
    expect(inline.markdown).toMatch(/!\[etcd database size vs quota\]\(data:image\/svg\+xml;charset=utf-8,%3Csvg[^)\s]+\)/);
  });

  it('keeps table cells on one line and neutralises HTML', () => {
    expect(mdInline('a | b\nc <script>')).toBe('a \\| b c &lt;script&gt;');
    const d = applyEdits(draft(), { timelineText: { 'incident:from': 'x | y\nz' } });
    expect(postmortemMarkdown(d, { generatedAt: 0, images: 'files' }).markdown).toContain('x \\| y z');
  });
});
