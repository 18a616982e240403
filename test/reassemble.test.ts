import { describe, expect, it } from 'vitest';
import { cp, readFile, readdir, writeFile, copyFile, mkdir, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import i18next from 'i18next';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { resolveConfig, type UserConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { buildProject } from '../pipeline/commands/build.ts';
import { formatReport } from '../pipeline/diagnostics.ts';
import { TranslationResolver } from '../pipeline/reassemble/resolve.ts';
import { countingReads, fixtures, makeProject, readJson } from './helpers.ts';

const html = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkFrontmatter, ['yaml'])
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeStringify, { allowDangerousHtml: true });

/** HTML of a Markdown document; runs of white space fold as a browser folds them. */
const render = (markdown: string) => String(html.processSync(markdown)).replace(/\s+/g, ' ').trim();

/** A project with `statement` as `statements/<slug>.md`, extracted. */
async function extracted(slug: string, statement: string, config: UserConfig = { locales: ['nl', 'en'] }) {
  const root = await makeProject({ [`statements/${slug}.md`]: statement });
  const resolved = resolveConfig(config, root);
  const report = await extractProject(resolved);
  expect(report.diagnostics.count().errors).toBe(0);
  return { root, config: resolved };
}

describe('reassembly', () => {
  const identity = ['kitchen-sink', 'plain', 'edge-cases'];
  it.each(identity)('renders %s to the same HTML when every translation equals its source', async (name) => {
    const statement = await readFile(path.join(fixtures, 'identity', `${name}.md`), 'utf8');
    const { root, config } = await extracted(name, statement);
    await cp(path.join(fixtures, 'identity', 'images'), path.join(root, 'statements', 'images'), { recursive: true });
    await copyFile(path.join(root, 'locales', 'en', `${name}.json`), path.join(root, 'locales', 'nl', `${name}.json`));
    const report = await buildProject(config);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    const localized = await readFile(path.join(root, 'dist', 'nl', name, `${name}-nl.md`), 'utf8');
    expect(render(localized)).toBe(render(statement));
    expect(localized).toContain('lang: nl');
  });

  it('extracts segments of every kind from the kitchen sink', async () => {
    const statement = await readFile(path.join(fixtures, 'identity', 'kitchen-sink.md'), 'utf8');
    const { root } = await extracted('kitchen-sink', statement);
    const source = await readJson(path.join(root, 'locales', 'en', 'kitchen-sink.json'));
    const state = JSON.parse(await readFile(path.join(root, 'locales', '.state', 'kitchen-sink.json'), 'utf8'));
    const kinds = new Set(Object.values(state.segments));
    expect([...kinds].sort()).toEqual(['footnote', 'heading', 'image-alt', 'link-title', 'list-item', 'paragraph', 'summary', 'table-cell', 'title']);
    const all = Object.values(source).join('\n');
    // Code, HTML, URLs and email addresses are never translatable text.
    expect(all).not.toMatch(/https?:|press@lydis\.com|const x|Raw HTML block|images\//);
    expect(source['what-happened-on-16']).toBe('What happened on <1>16 September</1>');
  });

  it('puts translations in place and keeps URLs from the source', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nMeet certain [requirements](https://req.example).\n');
    await writeFile(
      path.join(root, 'locales', 'nl', 's.json'),
      JSON.stringify({ 'meta.title': 'Titel', 'intro.meet-certain-requirements': 'Voldoe aan bepaalde <1>vereisten</1>.' }),
    );
    const report = await buildProject(config);
    expect(report.diagnostics.count()).toEqual({ errors: 0, warnings: 0 });
    const nl = await readFile(path.join(root, 'dist', 'nl', 's', 's-nl.md'), 'utf8');
    expect(nl).toContain('title: Titel');
    expect(nl).toContain('Voldoe aan bepaalde [vereisten](https://req.example).');
  });

  it('falls back to the source with a warning for a missing translation, an error with strict', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nOnly English.\n');
    const report = await buildProject(config);
    const nl = await readFile(path.join(root, 'dist', 'nl', 's', 's-nl.md'), 'utf8');
    expect(nl).toContain('Only English.');
    expect(formatReport(report.diagnostics.files, root)).toContain(
      'locales/nl/s.json:3:3  warning  Missing nl translation of `intro.only-english`, using the source text  missing-translation',
    );
    const strict = await buildProject({ ...config, strict: true }, { force: true });
    expect(strict.diagnostics.count().errors).toBe(2); // title and paragraph
  });

  it('uses a stale translation with a warning on its key showing the old and the new source, and an error with strict', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nThe port is open.\n');
    await writeFile(
      path.join(root, 'locales', 'nl', 's.json'),
      JSON.stringify({ 'meta.title': 'Titel', 'intro.the-port-is-open': 'De poort is open.' }, null, 2),
    );
    await extractProject(config);
    await writeFile(path.join(root, 'statements', 's.md'), '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nThe port is closed.\n');
    await extractProject(config);
    const report = await buildProject(config);
    expect(formatReport(report.diagnostics.files, root)).toContain(
      'locales/nl/s.json:3:3  warning  Stale translation of `intro.the-port-is-open`: the source changed from `…is open.` to `…is closed.` since it was translated  stale-translation',
    );
    expect(await readFile(path.join(root, 'dist', 'nl', 's', 's-nl.md'), 'utf8')).toContain('De poort is open.');
    expect((await buildProject({ ...config, strict: true }, { force: true })).diagnostics.count().errors).toBe(1);
  });

  it('reports a translation with broken tags on its locale file and key, and writes no document for it', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nMeet certain [requirements](https://req.example).\n');
    await writeFile(
      path.join(root, 'locales', 'nl', 's.json'),
      '{\n  "meta.title": "Titel",\n  "intro.meet-certain-requirements": "Voldoe aan bepaalde <1>vereisten</2>."\n}\n',
    );
    const report = await buildProject(config);
    expect(report.failed).toBe(1);
    expect(formatReport(report.diagnostics.files, root)).toContain(
      'locales/nl/s.json:3:3  error  Tags of `intro.meet-certain-requirements` do not match the source `Meet certain <1>requirements</1>.`: Unexpected closing tag `</2>`, expected `</1>`',
    );
    await expect(readFile(path.join(root, 'dist', 'nl', 's', 's-nl.md'))).rejects.toThrow();
  });

  it('resolves a regional variant through its fallback chain (nl-BE → nl → source)', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nFirst.\n\nSecond.\n', {
      locales: ['nl-BE', 'nl', 'en'],
      fallback: { 'nl-BE': ['nl'] },
    });
    await mkdir(path.join(root, 'locales', 'nl-BE'), { recursive: true });
    await writeFile(path.join(root, 'locales', 'nl', 's.json'), JSON.stringify({ 'meta.title': 'Titel', 'intro.first': 'Eerste.', 'intro.second': 'Tweede.' }));
    await writeFile(path.join(root, 'locales', 'nl-BE', 's.json'), JSON.stringify({ 'intro.second': 'Tweede, in Vlaanderen.' }));
    const report = await buildProject(config);
    expect(report.diagnostics.count().errors).toBe(0);
    const be = await readFile(path.join(root, 'dist', 'nl-BE', 's', 's-nl-BE.md'), 'utf8');
    expect(be).toContain('Eerste.');
    expect(be).toContain('Tweede, in Vlaanderen.');
  });

  it('resolves every key as i18next’s own t does over the chain: an empty string falls through, `{{…}}` and `$t(…)` come out as written', () => {
    const bundles: Record<string, Record<string, string>> = {
      'nl-BE': { a: '', b: 'BE {{x}}', d: '$t(b)' },
      nl: { a: 'NL a', c: 'NL c', e: '' },
      en: { a: 'EN a', b: 'EN b', c: 'EN c', d: 'EN d', e: '' },
    };
    const resolver = new TranslationResolver({ fallback: { 'nl-BE': ['nl'] } });
    for (const [locale, bundle] of Object.entries(bundles)) resolver.add(locale, 's', bundle);
    const oracle = i18next.createInstance();
    void oracle.init({
      resources: Object.fromEntries(Object.entries(bundles).map(([locale, bundle]) => [locale, { s: bundle }])),
      fallbackLng: false,
      keySeparator: false,
      nsSeparator: false,
      returnEmptyString: false,
      initAsync: false,
      showSupportNotice: false,
    } as Parameters<typeof oracle.init>[0]);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) {
      const told = oracle.t(key, { ns: 's', lngs: ['nl-BE', 'nl', 'en'], returnDetails: true, skipInterpolation: true }) as unknown as {
        res: string;
        usedLng: string;
      };
      // t answers the key itself when no locale has it.
      const expected = told.res === key ? undefined : { value: told.res, locale: told.usedLng };
      expect(resolver.resolve('s', key, 'nl-BE', 'en'), key).toEqual(expected);
    }
    expect(resolver.resolve('s', 'b', 'nl-BE', 'en')).toEqual({ value: 'BE {{x}}', locale: 'nl-BE' });
    expect(resolver.resolve('s', 'e', 'nl-BE', 'en')).toBeUndefined();
  });

  it('forgets a statement’s bundles when told, for strings and interface text alike, and keeps the others', () => {
    const resolver = new TranslationResolver({ fallback: {} });
    resolver.add('nl', 'a', { title: 'Titel A' });
    resolver.add('nl', 'b', { title: 'Titel B' });
    resolver.add('nl', 'common', { hello: 'Hallo {{name}}' });
    expect(resolver.format('common', 'hello', 'nl', { name: 'Ann' })).toBe('Hallo Ann');
    resolver.forget('a');
    resolver.forget('common');
    expect(resolver.resolve('a', 'title', 'nl', 'en')).toBeUndefined();
    expect(resolver.resolve('b', 'title', 'nl', 'en')).toEqual({ value: 'Titel B', locale: 'nl' });
    // i18next answers the key itself once the namespace is gone.
    expect(resolver.format('common', 'hello', 'nl', { name: 'Ann' })).toBe('hello');
  });

  it('rebuilds only the statement × locale whose inputs changed', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nFirst.\n', { locales: ['nl', 'fr', 'en'] });
    await writeFile(path.join(root, 'locales', 'nl', 's.json'), JSON.stringify({ 'meta.title': 'Titel', 'intro.first': 'Eerste.' }));
    await writeFile(path.join(root, 'locales', 'fr', 's.json'), JSON.stringify({ 'meta.title': 'Titre', 'intro.first': 'Premier.' }));
    expect((await buildProject(config)).documents).toHaveLength(3);
    expect((await buildProject(config)).documents).toHaveLength(0);
    await writeFile(path.join(root, 'locales', 'fr', 's.json'), JSON.stringify({ 'meta.title': 'Titre', 'intro.first': 'Le premier.' }));
    const third = await buildProject(config);
    expect(third.documents.map((document) => document.locale)).toEqual(['fr']);
    expect((await buildProject(config, { force: true })).documents).toHaveLength(3);
    expect(await readdir(path.join(root, 'dist'))).toEqual(expect.arrayContaining(['en', 'fr', 'nl']));
  });

  it('reads each of its caches once when nothing changed, and renders nothing', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nFirst.\n', { locales: ['nl', 'en'] });
    await writeFile(path.join(root, 'locales', 'nl', 's.json'), JSON.stringify({ 'meta.title': 'Titel', 'intro.first': 'Eerste.' }));
    expect((await buildProject(config)).documents).toHaveLength(2);
    const caches = ['build.json', 'site.json', 'inputs.json'].map((name) => path.join(config.cacheDir, name));
    const { result, reads } = await countingReads(caches, () => buildProject(config));
    expect(result.documents).toEqual([]);
    expect(reads).toEqual([1, 1, 1]);
    expect(formatReport(result.diagnostics.files, root)).toBe('');
  });

  it('sees an edit that keeps the size and modification time of a file it did not read again', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nFirst.\n', { locales: ['nl', 'en'] });
    const bundle = path.join(root, 'locales', 'nl', 's.json');
    // A whole second, so that setting it again restores it exactly.
    const time = new Date('2024-01-02T03:04:05Z');
    await writeFile(bundle, JSON.stringify({ 'meta.title': 'Titel', 'intro.first': 'Eerste.' }));
    await utimes(bundle, time, time);
    expect((await buildProject(config)).documents).toHaveLength(2);
    expect((await buildProject(config)).documents).toHaveLength(0);
    // Same length, same modification time, same inode: only the change time and the content differ.
    await writeFile(bundle, JSON.stringify({ 'meta.title': 'Titel', 'intro.first': 'Eenste.' }));
    await utimes(bundle, time, time);
    const edited = await buildProject(config);
    expect(edited.documents.map((document) => document.locale)).toEqual(['nl']);
    expect(await readFile(path.join(root, 'dist', 'nl', 's', 's-nl.md'), 'utf8')).toContain('Eenste.');
  });

  it('writes no file at all when nothing changed: no output, no cache, no manifest', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nFirst.\n', { locales: ['en'] });
    await buildProject(config);
    // Files only: the run's marker comes and goes in `.cache/runs`.
    const written = async () => {
      const names = (await readdir(root, { recursive: true })).map(String);
      const files = await Promise.all(names.map(async (name) => [name, await stat(path.join(root, name))] as const));
      return Object.fromEntries(files.filter(([, info]) => info.isFile()).map(([name, info]) => [name, info.mtimeMs]));
    };
    const before = await written();
    expect((await buildProject(config)).documents).toHaveLength(0);
    expect(await written()).toEqual(before);
  });

  it('writes again a site page deleted since the last build, though nothing else changed', async () => {
    const { root, config } = await extracted('s', '---\ntitle: Title\ndate: "2024-01-01"\n---\n\nFirst.\n', { locales: ['en'] });
    await buildProject(config);
    const index = path.join(root, 'dist', 'en', 'index.html');
    const page = await readFile(index, 'utf8');
    await rm(index);
    const again = await buildProject(config);
    expect(again.documents).toHaveLength(0);
    expect(again.site).toContain('en/index.html');
    expect(await readFile(index, 'utf8')).toBe(page);
  });

  it('builds the same site on worker threads as in one thread, and counts progress to the end', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [
        `statements/s${index}.md`,
        `---\ntitle: Statement ${index}\ndate: "2024-01-${String((index % 28) + 1).padStart(2, '0')}"\n---\n\nStatement ${index} says *hello*.\n`,
      ]),
    );
    const [threaded, single] = await Promise.all([makeProject(files), makeProject(files)]);
    const run = async (root: string, jobs: number) => {
      const config = resolveConfig({ locales: ['nl', 'en'] }, root);
      await extractProject(config, { jobs });
      const seen: Array<[number, number]> = [];
      const report = await buildProject(config, { jobs, onDocument: (done, total) => seen.push([done, total]) });
      return { report, seen };
    };
    const [parallel, serial] = [await run(threaded, 2), await run(single, 1)];
    expect(parallel.report.documents).toEqual(serial.report.documents);
    expect(parallel.report.documents).toHaveLength(20);
    expect(formatReport(parallel.report.diagnostics.files, threaded)).toBe(formatReport(serial.report.diagnostics.files, single));
    expect(parallel.seen.at(-1)).toEqual([20, 20]);
    const pages = async (root: string) => (await readdir(path.join(root, 'dist'), { recursive: true })).map(String).sort();
    expect(await pages(threaded)).toEqual(await pages(single));
    expect(await readFile(path.join(threaded, 'dist/nl/index.html'), 'utf8')).toBe(await readFile(path.join(single, 'dist/nl/index.html'), 'utf8'));
    const again = await buildProject(resolveConfig({ locales: ['nl', 'en'] }, threaded), { jobs: 2 });
    // The English documents built cleanly and are skipped; the Dutch ones lack translations and warn again.
    expect(again.unchanged).toBe(10);
    expect(new Set(again.documents.map((document) => document.locale))).toEqual(new Set(['nl']));
  });
});
