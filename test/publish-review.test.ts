/**
 * Four eyes before publishing: `publish --require-reviewed` (or
 * `translation.requireReviewed`) withholds a version with translations not
 * yet reviewed, naming each at its place in the locale file, while the other
 * versions go out; `--force` overrides it, and the manifest records it.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveConfig, type UserConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { exportXliff, importXliff } from '../pipeline/commands/xliff.ts';
import { publishProject } from '../pipeline/commands/publish.ts';
import { formatReport } from '../pipeline/diagnostics.ts';
import { MANIFEST_KEY, parseManifest } from '../pipeline/publish/manifest.ts';
import { listFiles } from '../pipeline/publish/site.ts';
import { fixtures, makeProject, runCli } from './helpers.ts';

const UNREVIEWED = [
  'locales/nl/cat.json:3:3  error  Unreviewed nl translation of `intro.we-updated-the-firmware` (translated), expected state `reviewed` or `final`  unreviewed-translation',
  'locales/nl/cat.json:4:3  error  Unreviewed nl translation of `intro.contact-our-support-team` (translated), expected state `reviewed` or `final`  unreviewed-translation',
  'locales/nl/cat.json:6:3  error  Unreviewed nl translation of `intro.read-the-file-and` (import), expected state `reviewed` or `final`  unreviewed-translation',
];

/** The CAT fixture with nl imported from its XLIFF: two segments reviewed or final, two translated, one draft. */
async function reviewProject(user: UserConfig = {}) {
  const root = await makeProject();
  await cp(path.join(fixtures, 'xliff-cat', 'statements'), path.join(root, 'statements'), { recursive: true });
  const config = resolveConfig({ locales: ['nl', 'en'], ...user }, root);
  await extractProject(config);
  await importXliff(config, [path.join(fixtures, 'xliff-cat', 'cat.nl.xlf')]);
  return { root, config };
}

/** A reviewer sets every nl segment to `reviewed` in the CAT tool, and it is imported. */
async function reviewAll(root: string, config: ReturnType<typeof resolveConfig>) {
  await exportXliff(config, { locale: 'nl', outDir: 'out' });
  const file = path.join(root, 'out', 'cat.nl.xlf');
  await writeFile(file, (await readFile(file, 'utf8')).replace(/<segment state="(translated|initial)"( subState="[^"]*")?/g, '<segment state="reviewed"'));
  await importXliff(config, [file]);
}

const unreviewedLines = (text: string) => text.split('\n').filter((line) => line.endsWith('unreviewed-translation'));
const readManifest = async (root: string) => parseManifest(await readFile(path.join(root, 'public', MANIFEST_KEY), 'utf8'))!;

describe('publish --require-reviewed', () => {
  test('unreviewed segments withhold the nl version, each named at its key in the locale file; the en version goes out without a link to it', async () => {
    const { root, config } = await reviewProject();
    const report = await publishProject(config, { env: {}, requireReviewed: true });
    expect(report.gate).toMatchObject({ unreviewed: 3, stopped: false, forced: false });
    expect(report.gate.errors).toBe(3);
    expect(unreviewedLines(formatReport(report.diagnostics.files, root))).toEqual(UNREVIEWED);
    expect(report.versions).toEqual([
      { slug: 'cat', locale: 'nl', withheld: { reason: 'unreviewed', detail: '3 segments not reviewed' }, fix: 'locales/nl/cat.json:3:3' },
      { slug: 'cat', locale: 'en' },
    ]);
    const keys = await listFiles(path.join(root, 'public'));
    expect(keys.filter((key) => key.startsWith('nl/cat/'))).toEqual([]);
    expect(keys).toContain('en/cat/index.html');
    expect(await readFile(path.join(root, 'public', 'en', 'cat', 'index.html'), 'utf8')).not.toMatch(/hreflang="nl"|nl\/cat/);
  });

  test('--force publishes anyway and the manifest records it with the number of unreviewed segments', async () => {
    const { root, config } = await reviewProject();
    const report = await publishProject(config, { env: {}, requireReviewed: true, force: true });
    expect(report.gate).toMatchObject({ unreviewed: 3, stopped: false, forced: true });
    expect(report.result?.uploaded.length).toBeGreaterThan(0);
    const manifest = await readManifest(root);
    expect(manifest.forced).toBe(true);
    expect(manifest.check).toMatchObject({ errors: 3, unreviewed: 3 });
  });

  test('once a reviewer has reviewed every segment, the publish goes through', async () => {
    const { root, config } = await reviewProject();
    await reviewAll(root, config);
    const report = await publishProject(config, { env: {}, requireReviewed: true });
    expect(formatReport(report.diagnostics.files, root)).not.toContain('unreviewed-translation');
    expect(report.gate).toMatchObject({ errors: 0, unreviewed: 0, stopped: false, forced: false });
    expect((await listFiles(path.join(root, 'public'))).filter((key) => key.startsWith('nl/cat/'))).toContain('nl/cat/index.html');
    const manifest = await readManifest(root);
    expect(manifest.forced).toBe(false);
    expect(manifest.check.unreviewed).toBe(0);
  });

  test('without it, unreviewed translations are published and the review state is not counted', async () => {
    const { root, config } = await reviewProject();
    const report = await publishProject(config, { env: {} });
    expect(report.gate).toMatchObject({ errors: 0, stopped: false, forced: false });
    expect(report.gate.unreviewed).toBeUndefined();
    expect((await readManifest(root)).check.unreviewed).toBeUndefined();
  });

  test('translation.requireReviewed in the config turns it on for the command; --force overrides it', async () => {
    const { root } = await reviewProject();
    await writeFile(path.join(root, 'statements.config.json'), JSON.stringify({ locales: ['nl', 'en'], translation: { requireReviewed: true } }));
    const stopped = await runCli(['publish'], root);
    expect(stopped.code).toBe(1);
    expect(unreviewedLines(stopped.stderr)).toEqual(UNREVIEWED);
    expect(stopped.stdout).toMatch(/cat +nl +withheld: 3 segments not reviewed +fix: locales\/nl\/cat\.json:3:3/);
    expect(existsSync(path.join(root, 'public', 'nl', 'cat'))).toBe(false);

    const forced = await runCli(['publish', '--force', '--json'], root);
    expect(forced.code, forced.stderr).toBe(0);
    const json = JSON.parse(forced.stdout) as { gate: { unreviewed: number; forced: boolean }; messages: Array<{ file: string; rule: string; line: number }> };
    expect(json.gate).toMatchObject({ unreviewed: 3, forced: true });
    expect(json.messages.filter((message) => message.rule === 'unreviewed-translation').map((message) => `${message.file}:${message.line}`)).toEqual([
      'locales/nl/cat.json:3',
      'locales/nl/cat.json:4',
      'locales/nl/cat.json:6',
    ]);
    expect((await readManifest(root)).forced).toBe(true);
  });

  test('--require-reviewed turns it on from the command line', async () => {
    const { root } = await reviewProject();
    await writeFile(path.join(root, 'statements.config.json'), JSON.stringify({ locales: ['nl', 'en'] }));
    const result = await runCli(['publish', '--require-reviewed', '--dry-run'], root);
    expect(result.code).toBe(1);
    expect(unreviewedLines(result.stderr)).toEqual(UNREVIEWED);
    expect(result.stdout).toMatch(/cat +nl +withheld: 3 segments not reviewed/);
  });
});
