import { describe, expect, it } from 'vitest';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { statusProject } from '../pipeline/commands/status.ts';
import { formatReport } from '../pipeline/diagnostics.ts';
import { workerCount } from '../pipeline/project/pool.ts';
import { hashText } from '../pipeline/project/bundle.ts';
import { openInputHashes, UnreadInputs } from '../pipeline/project/project.ts';
import { countingReads, makeProject, readJson, snapshot } from './helpers.ts';

const front = '---\ntitle: The title\ndate: "2024-03-01"\nlang: en\n---\n\n';
const paragraphs = {
  a: 'Alpha paragraph about the company and its products.',
  b: 'Bravo paragraph about the security of telephony.',
  c: 'Charlie paragraph about the contact details.',
  d: 'Delta paragraph that is new in this version.',
};
const statementOf = (...items: string[]) => `${front}${items.join('\n\n')}\n`;

/** A project with one statement `s`, extracted once, nl translated fully. */
async function translatedProject(items: string[]) {
  const root = await makeProject({ 'statements/s.md': statementOf(...items) });
  const config = resolveConfig({ locales: ['nl', 'en'] }, root);
  await extractProject(config);
  const source = await readJson(path.join(root, 'locales/en/s.json'));
  const nl = Object.fromEntries(Object.entries(source).map(([key, text]) => [key, `NL ${text}`]));
  await writeFile(path.join(root, 'locales/nl/s.json'), `${JSON.stringify(nl, null, 2)}\n`);
  await extractProject(config);
  return { root, config, source, nl };
}

async function edit(root: string, ...items: string[]) {
  await writeFile(path.join(root, 'statements/s.md'), statementOf(...items));
}

const keysOf = async (root: string) => readJson(path.join(root, 'locales/en/s.json'));

describe('extract', () => {
  it('writes one flat i18next bundle per locale, the source regenerated and targets empty to fill', async () => {
    const root = await makeProject({ 'statements/s.md': statementOf(paragraphs.a) });
    await extractProject(resolveConfig({}, root));
    expect(await readFile(path.join(root, 'locales/en/s.json'), 'utf8')).toBe(
      `{\n  "meta.title": "The title",\n  "intro.alpha-paragraph-about-the": "${paragraphs.a}"\n}\n`,
    );
    for (const locale of ['nl', 'fr']) {
      expect(await readJson(path.join(root, `locales/${locale}/s.json`))).toEqual({ 'meta.title': '', 'intro.alpha-paragraph-about-the': '' });
    }
  });

  it('gives readable keys from the section and first words', async () => {
    const root = await makeProject({ 'statements/s.md': `${front}# What happened\n\nWe were told in August.\n\n## Next steps\n\n- Update the firmware\n` });
    await extractProject(resolveConfig({}, root));
    expect(Object.keys(await keysOf(root))).toEqual([
      'meta.title',
      'what-happened',
      'what-happened.we-were-told-in',
      'next-steps',
      'next-steps.update-the-firmware',
    ]);
  });

  it('changes nothing when run twice in a row', async () => {
    const { root, config } = await translatedProject([paragraphs.a, paragraphs.b]);
    const before = await snapshot(path.join(root, 'locales'));
    const report = await extractProject(config);
    expect(report.statements).toEqual([]);
    expect(report.unchanged).toBe(1);
    expect(await snapshot(path.join(root, 'locales'))).toEqual(before);
  });

  it('reads each file of a statement it never extracted once, and remembers its hash for the next run without reading it again', async () => {
    const { root, config } = await translatedProject([paragraphs.a, paragraphs.b]);
    await rm(config.cacheDir, { recursive: true });
    const files = ['statements/s.md', 'locales/.state/s.json', 'locales/en/s.json', 'locales/nl/s.json'].map((file) => path.join(root, file));
    const { result: first, reads } = await countingReads(files, () => extractProject(config));
    expect(first.unchanged).toBe(0);
    expect(first.statements[0]?.writes).toEqual([]);
    expect(reads).toEqual(files.map(() => 1));
    // The memo holds the hash of every file as the extract read it, under the identity it had before.
    const memo = JSON.parse(await readFile(path.join(config.cacheDir, 'inputs.json'), 'utf8')) as { entries: Record<string, [string, string]> };
    for (const file of files) {
      const { size, mtimeMs, ctimeMs, ino } = await stat(file);
      expect(memo.entries[file], file).toEqual([`${size}:${mtimeMs}:${ctimeMs}:${ino}`, hashText(await readFile(file, 'utf8'))]);
    }
    const again = await countingReads(files, () => extractProject(config));
    expect(again.result.unchanged).toBe(1);
    expect(again.reads).toEqual(files.map(() => 0));
  });

  it('reads again a file that changed between the check for changes and its read', async () => {
    const root = await makeProject({ 'statements/s.md': statementOf(paragraphs.a) });
    const config = resolveConfig({ locales: ['nl', 'en'] }, root);
    const entry = { slug: 's', file: path.join(root, 'statements/s.md') };
    const memo = await openInputHashes(config);
    const unread = new UnreadInputs(memo);
    unread.note(entry, config);
    // The statement changes after its identity was taken; the task reads the new text.
    await edit(root, paragraphs.b);
    const text = await readFile(entry.file, 'utf8');
    unread.learn([[entry.file, hashText(text)]]);
    expect(memo.recall(entry.file, entry.file).value).toBeUndefined();
  });

  it('does not rewrite an unchanged file even when the cache is gone', async () => {
    const { root, config } = await translatedProject([paragraphs.a]);
    const before = await snapshot(path.join(root, 'locales'));
    const report = await extractProject({ ...config, cacheDir: path.join(root, 'other-cache') });
    expect(report.statements[0]?.writes).toEqual([]);
    expect(await snapshot(path.join(root, 'locales'))).toEqual(before);
  });

  describe('keeps keys stable', () => {
    it('when a paragraph is inserted', async () => {
      const { root, source } = await translatedProject([paragraphs.a, paragraphs.b, paragraphs.c]);
      await edit(root, paragraphs.a, paragraphs.d, paragraphs.b, paragraphs.c);
      await extractProject(resolveConfig({ locales: ['nl', 'en'] }, root));
      const after = await keysOf(root);
      for (const [key, text] of Object.entries(source)) expect(after[key]).toBe(text);
      expect(Object.keys(after)).toHaveLength(Object.keys(source).length + 1);
    });

    it('when a paragraph is deleted', async () => {
      const { root, source } = await translatedProject([paragraphs.a, paragraphs.b, paragraphs.c]);
      await edit(root, paragraphs.a, paragraphs.c);
      await extractProject(resolveConfig({ locales: ['nl', 'en'] }, root));
      const after = await keysOf(root);
      for (const [key, text] of Object.entries(after)) expect(source[key]).toBe(text);
    });

    it('when paragraphs are moved, and the bundle follows the new order', async () => {
      const { root, source, nl } = await translatedProject([paragraphs.a, paragraphs.b, paragraphs.c]);
      await edit(root, paragraphs.c, paragraphs.a, paragraphs.b);
      await extractProject(resolveConfig({ locales: ['nl', 'en'] }, root));
      const after = await keysOf(root);
      const keyOf = (text: string) => Object.keys(source).find((key) => source[key] === text);
      expect(Object.keys(after)).toEqual(['meta.title', keyOf(paragraphs.c), keyOf(paragraphs.a), keyOf(paragraphs.b)]);
      const nlAfter = await readJson(path.join(root, 'locales/nl/s.json'));
      expect(nlAfter[keyOf(paragraphs.c)!]).toBe(nl[keyOf(paragraphs.c)!]);
    });

    it('for two identical paragraphs', async () => {
      const root = await makeProject({ 'statements/s.md': statementOf('Same text.', 'Same text.') });
      await extractProject(resolveConfig({}, root));
      expect(Object.keys(await keysOf(root))).toEqual(['meta.title', 'intro.same-text', 'intro.same-text-2']);
    });
  });

  it('keeps the translation of an edited segment and flags it stale, until the translator updates it', async () => {
    const { root, config, source, nl } = await translatedProject([paragraphs.a, paragraphs.b]);
    const key = Object.keys(source).find((candidate) => source[candidate] === paragraphs.b)!;
    await edit(root, paragraphs.a, paragraphs.b.replace('telephony', 'video telephony'));
    const report = await extractProject(config);
    expect(report.statements[0]?.counts.stale).toBe(1);
    expect((await keysOf(root))[key]).toContain('video telephony');
    expect((await readJson(path.join(root, 'locales/nl/s.json')))[key]).toBe(nl[key]);
    expect((await statusProject(config)).rows[0]).toMatchObject({ locale: 'nl', stale: 1, translated: 2, missing: 0 });
    // The translator's files hold strings only; the flag lives in the state file.
    expect(await readFile(path.join(root, 'locales/nl/s.json'), 'utf8')).not.toMatch(/stale|hash/);

    const updated = { ...(await readJson(path.join(root, 'locales/nl/s.json'))), [key]: 'NL bijgewerkt over videotelefonie.' };
    await writeFile(path.join(root, 'locales/nl/s.json'), JSON.stringify(updated));
    await extractProject(config);
    expect((await statusProject(config)).rows[0]).toMatchObject({ stale: 0, translated: 3 });
  });

  it('flags a translation typed before the source changed as stale, although no extract ran in between', async () => {
    const root = await makeProject({ 'statements/s.md': statementOf(paragraphs.a, paragraphs.b) });
    const config = resolveConfig({ locales: ['nl', 'en'] }, root);
    await extractProject(config);
    const source = await keysOf(root);
    const key = Object.keys(source).find((candidate) => source[candidate] === paragraphs.b)!;
    // The translator works from the source bundle as extract wrote it …
    const nl = { ...(await readJson(path.join(root, 'locales/nl/s.json'))), [key]: 'NL over de beveiliging van telefonie.' };
    await writeFile(path.join(root, 'locales/nl/s.json'), JSON.stringify(nl));
    // … while the author edits that paragraph.
    await edit(root, paragraphs.a, paragraphs.b.replace('telephony', 'video telephony'));
    expect((await statusProject(config)).rows[0]).toMatchObject({ locale: 'nl', stale: 1 });
    const report = await extractProject(config);
    expect(report.statements[0]?.counts.stale).toBe(1);
    expect((await statusProject(config)).rows[0]).toMatchObject({ locale: 'nl', stale: 1, translated: 0 });
  });

  it('rebuilds stale flags from the source bundle when the state file is lost, and says what is lost', async () => {
    const { root, config, source } = await translatedProject([paragraphs.a, paragraphs.b]);
    const key = Object.keys(source).find((candidate) => source[candidate] === paragraphs.b)!;
    await rm(path.join(root, 'locales/.state'), { recursive: true });
    await edit(root, paragraphs.a, paragraphs.b.replace('telephony', 'video telephony'));
    const report = await extractProject(config);
    expect(formatReport(report.diagnostics.files, root)).toMatch(
      /^locales\/\.state\/s\.json {2}warning {2}Missing state file: review states and obsolete translations of `s` are lost.*state-missing$/m,
    );
    expect(report.statements[0]?.counts.stale).toBe(1);
    expect((await readJson(path.join(root, 'locales/.state/s.json'))).targets).toHaveProperty(['nl', key]);
    // Rebuilt: the next run has nothing to say.
    expect(formatReport((await extractProject(config)).diagnostics.files, root)).not.toContain('state-missing');
  });

  it('moves translations of removed segments to the obsolete store and brings them back when the text returns', async () => {
    const { root, config, source, nl } = await translatedProject([paragraphs.a, paragraphs.b]);
    const key = Object.keys(source).find((candidate) => source[candidate] === paragraphs.b)!;
    await edit(root, paragraphs.a);
    const removed = await extractProject(config);
    expect(removed.statements[0]?.counts.obsoleted).toBe(1);
    expect(await readJson(path.join(root, 'locales/nl/s.json'))).not.toHaveProperty(key);
    const state = JSON.parse(await readFile(path.join(root, 'locales/.state/s.json'), 'utf8'));
    expect(state.obsolete[key]).toEqual({ kind: 'paragraph', source: paragraphs.b, targets: { nl: nl[key] } });
    expect((await statusProject(config)).rows[0]).toMatchObject({ obsolete: 1 });

    await edit(root, paragraphs.b, paragraphs.a);
    const restored = await extractProject(config);
    expect(restored.statements[0]?.counts.restored).toBe(1);
    expect((await readJson(path.join(root, 'locales/nl/s.json')))[key]).toBe(nl[key]);
    expect(JSON.parse(await readFile(path.join(root, 'locales/.state/s.json'), 'utf8')).obsolete).toEqual({});
    expect((await statusProject(config)).rows[0]).toMatchObject({ translated: 3, stale: 0, obsolete: 0 });
  });

  it('keeps keys a translator added by hand, in the obsolete store', async () => {
    const { root, config } = await translatedProject([paragraphs.a]);
    const nl = await readJson(path.join(root, 'locales/nl/s.json'));
    await writeFile(path.join(root, 'locales/nl/s.json'), JSON.stringify({ ...nl, 'my.note': 'Eigen notitie' }));
    await extractProject(config);
    const state = JSON.parse(await readFile(path.join(root, 'locales/.state/s.json'), 'utf8'));
    expect(state.obsolete['my.note'].targets.nl).toBe('Eigen notitie');
  });

  it('gives the same bundles on worker threads as in one thread', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, index) => [`statements/s${index}.md`, statementOf(`Statement ${index} says hello.`, paragraphs.a)]),
    );
    files['statements/broken.md'] = '---\ntitle: [unclosed\n---\n\nText.\n';
    const [threaded, single] = await Promise.all([makeProject(files), makeProject(files)]);
    // Two threads sharing the statements, although a dozen would stay in one thread by default.
    expect([workerCount(12, { itemMs: 6, jobs: 2 }), workerCount(12, { itemMs: 6 })]).toEqual([2, 1]);
    const parallel = await extractProject(resolveConfig({}, threaded), { jobs: 2 });
    const serial = await extractProject(resolveConfig({}, single), { jobs: 1 });
    expect(parallel.statements.map((statement) => statement.slug)).toEqual(serial.statements.map((statement) => statement.slug));
    expect(formatReport(parallel.diagnostics.files, threaded)).toBe(formatReport(serial.diagnostics.files, single));
    expect(formatReport(parallel.diagnostics.files, threaded)).toContain('statements/broken.md:2:17  error  Invalid front matter');
    const contents = async (root: string) =>
      [...(await snapshot(path.join(root, 'locales'))).entries()].map(([name, value]) => [name, value.replace(/^[\d.]+:/, '')]);
    expect(await contents(threaded)).toEqual(await contents(single));
    expect((await extractProject(resolveConfig({}, threaded), { jobs: 2 })).unchanged).toBe(12);
  });

  it('plans without writing on a dry run', async () => {
    const root = await makeProject({ 'statements/s.md': statementOf(paragraphs.a) });
    const report = await extractProject(resolveConfig({}, root), { dryRun: true });
    expect(report.statements[0]?.writes.map((write) => path.relative(root, write.path)).sort()).toEqual([
      'locales/.state/s.json',
      'locales/en/s.json',
      'locales/fr/s.json',
      'locales/nl/s.json',
    ]);
    expect([...(await snapshot(root)).keys()]).toEqual(['statements/s.md']);
  });
});
