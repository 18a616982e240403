import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { statusProject } from '../pipeline/commands/status.ts';
import { exportXliff, importXliff } from '../pipeline/commands/xliff.ts';
import { Diagnostics } from '../pipeline/diagnostics.ts';
import { readCatalog } from '../pipeline/project/project.ts';
import { translationState } from '../pipeline/translation/review.ts';
import { matchScore, TranslationMemory, wordCount } from '../pipeline/translation/memory.ts';
import xliff2js from 'xliff/xliff2js';
import { makeProject, readJson } from './helpers.ts';

const front = (title: string) => `---\ntitle: ${title}\ndate: "2024-03-01"\nlang: en\n---\n\n`;
const signature = 'On behalf of the Lydis team, Gijsbert Zijlstra, Technical Director.';
const contact = 'If you have any questions about this statement, you can of course contact our press office.';
// One word differs from `contact`: 17 of its 18 tokens (16 words, a comma, a full stop) in place.
const nearContact = 'If you have any questions about this statement, you can of course contact our sales office.';

/** Statement `a` translated into nl, then statement `b` added and extracted. */
async function projectWithMemory(b: string[]) {
  const root = await makeProject({ 'statements/a.md': `${front('First')}${signature}\n\n${contact}\n` });
  const config = resolveConfig({ locales: ['nl', 'en'] }, root);
  await extractProject(config);
  const source = await readJson(path.join(root, 'locales/en/a.json'));
  await writeFile(path.join(root, 'locales/nl/a.json'), JSON.stringify(Object.fromEntries(Object.entries(source).map(([key, text]) => [key, `NL: ${text}`]))));
  await extractProject(config);
  await writeFile(path.join(root, 'statements/b.md'), `${front('Second')}${b.join('\n\n')}\n`);
  const report = await extractProject(config);
  return { root, config, report };
}

describe('translation memory', () => {
  it('pre-fills a new segment translated elsewhere in the project as a draft to review, and counts the reused words', async () => {
    const { root, config, report } = await projectWithMemory(['A new opening paragraph.', signature]);
    const nl = await readJson(path.join(root, 'locales/nl/b.json'));
    expect(Object.values(nl)).toEqual(['', '', `NL: ${signature}`]);
    const catalog = await readCatalog('b', config, new Diagnostics(root));
    const key = Object.keys(nl)[2]!;
    expect(catalog.state!.targets.nl![key]).toMatchObject({ needsReview: true, origin: 'memory' });
    expect(translationState(catalog.state!.targets.nl![key], signature, nl[key])).toEqual({ state: 'initial', draft: 'memory' });
    expect(report.statements.find((s) => s.slug === 'b')!.counts.reused).toEqual({ nl: { segments: 1, words: wordCount(signature) } });

    const row = (await statusProject(config, { slugs: ['b'] })).rows[0]!;
    expect(row).toMatchObject({ needsReview: 1, reviewed: 0 });
    expect(row.words).toEqual({ total: 1 + 4 + 10, new: 1 + 4, exact: 10, fuzzy: 0, stale: 0, translated: 0, reviewed: 0 });
  });

  it('offers a near match (85% or more) as a suggestion in the XLIFF notes and in status, without filling it in', async () => {
    const { root, config } = await projectWithMemory([nearContact]);
    expect(Object.values(await readJson(path.join(root, 'locales/nl/b.json')))).toEqual(['', '']);
    await exportXliff(config, { locale: 'nl', slugs: ['b'], outDir: 'out' });
    const xml = await readFile(path.join(root, 'out/b.nl.xlf'), 'utf8');
    expect(xml).toContain(`<note category="memory">${Math.floor((17 / 18) * 100)}% match (a, intro.if-you-have-any): ${contact} → NL: ${contact}</note>`);
    // Also where CAT tools look for matches: 2.0 `<mtc:match>`, 1.2 `<alt-trans>`; both still read back unchanged.
    expect(xml).toContain(`<mtc:match ref="#s1" similarity="${Math.floor((17 / 18) * 100)}" type="tm" origin="a#intro.if-you-have-any">`);
    expect((await xliff2js(xml)).resources.b!['intro.if-you-have-any']!.source).toBe(nearContact);
    await exportXliff(config, { locale: 'nl', slugs: ['b'], outDir: 'out12', version: '1.2' });
    expect(await readFile(path.join(root, 'out12/b.nl.xlf'), 'utf8')).toContain(
      `<alt-trans match-quality="${Math.floor((17 / 18) * 100)}" origin="a#intro.if-you-have-any"><source>${contact}</source><target>NL: ${contact}</target></alt-trans>`,
    );
    const before = await readFile(path.join(root, 'locales/nl/b.json'), 'utf8');
    for (const file of ['out/b.nl.xlf', 'out12/b.nl.xlf']) expect((await importXliff(config, [path.join(root, file)])).files[0]!.writes).toEqual([]);
    expect(await readFile(path.join(root, 'locales/nl/b.json'), 'utf8')).toBe(before);
    const row = (await statusProject(config, { slugs: ['b'] })).rows[0]!;
    expect(row.words).toMatchObject({ new: 1, fuzzy: wordCount(nearContact), exact: 0 });
  });

  it('confirming a pre-filled draft in a CAT tool makes it translated', async () => {
    const { root, config } = await projectWithMemory([signature]);
    await exportXliff(config, { locale: 'nl', slugs: ['b'], outDir: 'out' });
    const file = path.join(root, 'out/b.nl.xlf');
    const xml = await readFile(file, 'utf8');
    expect(xml).toMatch(/<segment state="initial" subState="statements:memory">/);
    await writeFile(file, xml.replace('state="initial" subState="statements:memory"', 'state="translated"'));
    await importXliff(config, [file]);
    const row = (await statusProject(config, { slugs: ['b'] })).rows[0]!;
    expect(row).toMatchObject({ needsReview: 0, translated: 1 });
    expect(row.words).toMatchObject({ exact: 0, translated: wordCount(signature) });
  });

  it('suggests only matches at or above the threshold, best first, and prefers the reviewed translation of a text', () => {
    const memory = new TranslationMemory(0.85);
    const base = 'one two three four five six seven eight nine ten';
    const entry = (source: string, target: string, state: 'translated' | 'reviewed', key: string) =>
      memory.add('nl', { source, target, slug: 's', key, state });
    entry(base.replace('ten', 'zehn'), 'nine of ten', 'translated', 'a'); // 90%
    entry(base.replace('nine ten', 'neun zehn'), 'eight of ten', 'translated', 'b'); // 80%: not offered
    entry(base.replace('one', 'eins'), 'first', 'translated', 'c'); // 90%
    entry(base.replace('one', 'eins'), 'first, reviewed', 'reviewed', 'd'); // same text, better state
    const suggestions = memory.fuzzy(base, 'nl');
    // Equal scores: the reviewed translation comes first.
    expect(suggestions.map((s) => [s.key, s.score])).toEqual([
      ['d', 0.9],
      ['a', 0.9],
    ]);
    expect(memory.fuzzy(base, 'fr')).toEqual([]);
    expect(memory.exact(base.replace('one', 'eins'), 'nl')?.target).toBe('first, reviewed');
  });

  it('rates matches by word edit distance, as CAT tools do', () => {
    expect(matchScore(['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'])).toBe(1);
    expect(matchScore(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd'])).toBe(0.75);
    expect(matchScore(['a', 'b'], [])).toBe(0);
  });
});
