/**
 * Publishing to a local folder (the default, `public/`), and the command as
 * a user runs it: `npm start` on a copy of this repository, the checks as a
 * gate, `--force`, `--json`, `--dry-run`.
 */
import { readFile, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../pipeline/config.ts';
import { publishProject } from '../pipeline/commands/publish.ts';
import { listFiles, scanSite } from '../pipeline/publish/site.ts';
import { writeFileAtomic } from '../pipeline/project/fs.ts';
import { MANIFEST_KEY, parseManifest } from '../pipeline/publish/manifest.ts';
import { copyOfRepository, repoRoot, runCli } from './helpers.ts';
import { copyProject } from './setup/publish.ts';

const FIRST = 'lydis-statement-follow-the-money';

async function publishToFolder(project: string, target: string, more: { delete?: boolean } = {}) {
  return publishProject(await loadConfig(project), { build: false, check: false, env: {}, overrides: { target, ...more } });
}

describe('publish to a local folder', () => {
  test('the folder is laid out exactly as the bucket: every built file with the same bytes, and the manifest', async () => {
    const project = await copyProject();
    const report = await publishToFolder(project, 'public');
    const site = await listFiles(path.join(project, 'site'));
    expect(await listFiles(path.join(project, 'public'))).toEqual([...site, MANIFEST_KEY].sort());
    for (const key of site) expect((await readFile(path.join(project, 'public', key))).equals(await readFile(path.join(project, 'site', key))), key).toBe(true);
    const manifest = parseManifest(await readFile(path.join(project, 'public', MANIFEST_KEY), 'utf8'))!;
    expect(Object.keys(manifest.objects)).toEqual(site);
    // No temp file of the atomic writes is left behind.
    expect((await readdir(path.join(project, 'public'), { recursive: true })).filter((name) => String(name).includes('.tmp-'))).toEqual([]);
    expect(report.urls.find((url) => url.locale === 'fr' && url.slug === 'climate-pledge')?.url).toBe(
      `file://${path.join(project, 'public')}/fr/climate-pledge/index.html`,
    );
  });

  test('a second publish to the folder writes nothing', async () => {
    const project = await copyProject();
    await publishToFolder(project, 'public');
    const files = await listFiles(path.join(project, 'public'));
    const times = await Promise.all(files.map(async (key) => (await stat(path.join(project, 'public', key))).mtimeMs));
    const again = await publishToFolder(project, 'public');
    expect(again.result?.uploaded).toEqual([]);
    expect(again.result?.manifestWritten).toBe(false);
    expect(await Promise.all(files.map(async (key) => (await stat(path.join(project, 'public', key))).mtimeMs))).toEqual(times);
  });

  test('remembered hashes never hide a rewrite, even one of the same size', async () => {
    const project = await copyProject();
    const memoFile = path.join(project, '.cache', 'publish-hashes.json');
    const scan = () => scanSite(path.join(project, 'site'), { revisions: new Map(), memoFile });
    const first = await scan();
    expect(existsSync(memoFile)).toBe(true);
    const page = path.join(project, 'site', 'nl', 'climate-pledge', 'index.html');
    const text = await readFile(page, 'utf8');
    await writeFileAtomic(page, text.replace('<h1>', '<h2>').replace('</h1>', '</h2>'));
    const second = await scan();
    const sha = (objects: typeof first) => objects.find((object) => object.key === 'nl/climate-pledge/index.html')!.sha256;
    expect(second.find((object) => object.key === 'nl/climate-pledge/index.html')!.size).toBe(Buffer.byteLength(text));
    expect(sha(second)).not.toBe(sha(first));
    expect(second.filter((object) => object.key !== 'nl/climate-pledge/index.html')).toEqual(
      first.filter((object) => object.key !== 'nl/climate-pledge/index.html'),
    );
  });

  test('--delete removes files an earlier publish wrote that the build no longer produces, only inside the folder', async () => {
    const project = await copyProject();
    // A statement published earlier and removed since: still in the folder, and left over in the build folder.
    await writeFile(path.join(project, 'statements', 'withdrawn.md'), '---\ntitle: Withdrawn\n---\n\nOld.\n');
    await mkdir(path.join(project, 'site', 'en', 'withdrawn'), { recursive: true });
    await writeFile(path.join(project, 'site', 'en', 'withdrawn', 'index.html'), 'old');
    await publishToFolder(project, 'public');
    await rm(path.join(project, 'statements', 'withdrawn.md'));
    await mkdir(path.join(project, 'site', 'de', 'climate-pledge'), { recursive: true });
    await writeFile(path.join(project, 'site', 'de', 'climate-pledge', 'index.html'), 'no longer a configured locale');
    await writeFile(path.join(project, 'public-notes.txt'), 'mine');
    const report = await publishToFolder(project, 'public', { delete: true });
    expect(report.leftovers).toEqual(['de/climate-pledge/index.html', 'en/withdrawn/index.html']);
    expect(report.result?.deleted).toEqual(['en/withdrawn/index.html']);
    expect(existsSync(path.join(project, 'public', 'en', 'withdrawn'))).toBe(false);
    expect(existsSync(path.join(project, 'public', 'de'))).toBe(false);
    expect(await readFile(path.join(project, 'public-notes.txt'), 'utf8')).toBe('mine');
  });

  test.each([
    ['.', 'is the project folder'],
    ['site', "is the project's build folder"],
    ['site/public', "lies inside the project's build folder"],
    ['..', 'contains the project folder'],
  ])('refuses the target folder `%s`, which overlaps the project or the build', async (target, reason) => {
    const project = await copyProject();
    await expect(publishToFolder(project, target)).rejects.toThrow(
      `Invalid target folder \`${target}\` from --target: it ${reason}; publish to a folder of its own such as \`public\``,
    );
  });
});

describe('statements publish as a user runs it', () => {
  test('npm start publishes the first real statement in nl, fr and en to public/', async () => {
    const project = await copyOfRepository();
    const start = (JSON.parse(await readFile(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const steps = start.split('&&').map((step) => step.trim().split(/\s+/));
    let last;
    for (const step of steps) {
      expect(step.slice(0, 2)).toEqual(['node', 'bin/statements.js']);
      last = await runCli(step.slice(2), project);
      expect(last.code, last.stderr).toBe(0);
    }
    const published = await listFiles(path.join(project, 'public'));
    const manifest = parseManifest(await readFile(path.join(project, 'public', MANIFEST_KEY), 'utf8'))!;
    for (const locale of ['nl', 'fr', 'en']) {
      const own = published.filter((key) => key.startsWith(`${locale}/${FIRST}/`));
      expect(own.length, locale).toBeGreaterThan(0);
      for (const key of own) expect(manifest.objects[key]?.locale).toBe(locale);
      expect(last!.stdout).toContain(`/public/${locale}/${FIRST}/`);
    }
  });

  test('an error in a statement withholds every version of it, named with where to fix it, exit 1; --force publishes them and the manifest records it', async () => {
    const project = await copyOfRepository();
    const file = path.join(project, 'statements', `${FIRST}.md`);
    await writeFile(file, `${await readFile(file, 'utf8')}\nSee [the other statement](no-such-statement.md).\n`);
    expect((await runCli(['extract'], project)).code).toBe(0);

    const withheld = await runCli(['publish'], project);
    expect(withheld.code).toBe(1);
    expect(withheld.stderr).toMatch(/statements\/lydis-statement-follow-the-money\.md:41:5 +error .*link-missing/);
    for (const locale of ['nl', 'fr', 'en'])
      expect(withheld.stdout).toMatch(new RegExp(`${FIRST} +${locale} +withheld: 1 error +fix: statements/${FIRST}\\.md:41:5`));
    expect(withheld.stderr).toContain('✖ Withheld 3 versions (3 for errors or review): not published, earlier published files of them left as they were');
    expect((await listFiles(path.join(project, 'public'))).filter((key) => key.includes(FIRST))).toEqual([]);

    const forced = await runCli(['publish', '--force'], project);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/⚠ Published with --force despite 1 error; the manifest records it/);
    expect(forced.stdout).toMatch(new RegExp(`${FIRST} +nl +published +file://`));
    const manifest = parseManifest(await readFile(path.join(project, 'public', MANIFEST_KEY), 'utf8'))!;
    expect(manifest.forced).toBe(true);
    expect(manifest.check.errors).toBeGreaterThan(0);
  });

  test('--dry-run --json prints the plan and writes nothing', async () => {
    const project = await copyOfRepository();
    const result = await runCli(['publish', '--dry-run', '--json', '--target', 'out'], project);
    expect(result.code, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as { dryRun: boolean; plan: { uploads: Array<{ key: string; reason: string }>; bytes: number }; result?: unknown };
    expect(json.dryRun).toBe(true);
    expect(json.result).toBeUndefined();
    expect(json.plan.uploads.map((upload) => upload.key)).toEqual((await listFiles(path.join(project, 'dist'))).sort(byPhase));
    expect(json.plan.uploads.every((upload) => upload.reason === 'new')).toBe(true);
    expect(existsSync(path.join(project, 'out'))).toBe(false);
  });

  test('a bad target is one sentence and exit code 1, before anything is built', async () => {
    const project = await copyOfRepository();
    const result = await runCli(['publish', '--target', 's3://Press_Releases/nl'], project);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^✖ Invalid bucket name `Press_Releases` in `s3:\/\/Press_Releases\/nl` from --target: use 3 to 63 lowercase letters, digits, dots and hyphens/,
    );
    expect(existsSync(path.join(project, 'dist'))).toBe(false);
  });
});

/** Publishing order of keys: files, pages, indexes, home page; by key within a phase. */
function byPhase(a: string, b: string): number {
  const rank = (key: string) => (!/\.(html|xml)$/.test(key) ? 0 : [3, 2, 1][Math.min(key.split('/').length - 1, 2)]!);
  return rank(a) - rank(b) || (a < b ? -1 : 1);
}
