/**
 * Transactions on disk and no silent changes to translators' files: a
 * statement's bundles and state are written all or nothing, temp files of
 * killed runs are cleared, file modes are kept, and a bundle with repeated
 * keys, bytes that are not UTF-8, control characters or an oversized value
 * is a positioned error and is never rewritten.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmod, cp, lchown, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildProject, exportXliff, extractProject, importXliff, loadConfig } from '../../pipeline/index.ts';
import { toJson, type Diagnostics } from '../../pipeline/diagnostics.ts';
import { generateCorpus, statementText } from '../../scripts/bench/corpus.ts';
import { fixtures, makeProject, readJson, repoRoot } from '../helpers.ts';

/** A temporary copy of `test/fixtures/security/<name>`. */
async function fixtureProject(name: string): Promise<string> {
  const root = await makeProject();
  await cp(path.join(fixtures, 'security', name), root, { recursive: true });
  return root;
}

/** `file:line:column rule` of every message, to assert places without the wording. */
const places = (diagnostics: Diagnostics) => toJson(diagnostics.files, diagnostics.cwd).map((m) => `${m.file}:${m.line}:${m.column} ${m.rule}`);
const messages = (diagnostics: Diagnostics) => toJson(diagnostics.files, diagnostics.cwd);

/** Every file below `dir` (relative names). */
const filesBelow = async (dir: string) => (await readdir(dir, { recursive: true })).map(String);
const tempsBelow = async (dir: string) => (await filesBelow(dir)).filter((name) => name.includes('.tmp-'));

/** Resolves once `ready()` holds, polling; rejects after `ms`. */
async function until(ready: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error('Timed out waiting for the CLI to start writing');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Start `statements …` in `cwd` and SIGKILL it as soon as `writing()` holds; resolves with its pid once it is gone. */
async function killWhile(args: string[], cwd: string, writing: () => Promise<boolean>): Promise<number> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'statements.js'), ...args], { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' } });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await until(async () => child.exitCode !== null || (await writing()));
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

/** A process that stays alive while the test runs, to own a temp file that must be left alone. */
function liveProcess() {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

/** Plant temps in both formats (ours: hex; the parse cache's: base 36) for `deadPid`, and one of a running process. */
async function plantTemps(root: string, deadPid: number, livePid: number): Promise<string> {
  await writeFile(path.join(root, `locales/nl/planted.json.tmp-${deadPid}-0a1b2c3d`), '{"half": ');
  await writeFile(path.join(root, `.cache/trees/planted.json.tmp-${deadPid}-k3j4h5z9`), '{"half": ');
  const live = `locales/nl/live.json.tmp-${livePid}-deadbeef`;
  await writeFile(path.join(root, live), '{"busy": ');
  return live;
}

async function expectEveryJsonValid(dir: string) {
  for (const name of (await filesBelow(dir)).filter((file) => file.endsWith('.json'))) {
    const text = await readFile(path.join(dir, name), 'utf8');
    expect(() => JSON.parse(text), name).not.toThrow();
  }
}

describe('transactions on disk', () => {
  it('writes nothing of a statement when one locale folder is unwritable, and says which file and why in one sentence', async () => {
    const root = await makeProject({ 'statements/s.md': `---\ntitle: The title\ndate: "2024-03-01"\nlang: en\n---\n\nAlpha paragraph about the company.\n` });
    const config = await loadConfig(root);
    await extractProject(config);
    await writeFile(
      path.join(root, 'locales/fr/s.json'),
      `${JSON.stringify({ 'meta.title': 'Le titre', 'intro.alpha-paragraph-about-the': 'Paragraphe alpha.' }, null, 2)}\n`,
    );
    await extractProject(config);
    await writeFile(
      path.join(root, 'statements/s.md'),
      `---\ntitle: The new title\ndate: "2024-03-01"\nlang: en\n---\n\nAlpha paragraph about the company.\n\nBravo paragraph added later.\n`,
    );
    const names = ['locales/en/s.json', 'locales/fr/s.json', 'locales/nl/s.json', 'locales/.state/s.json'];
    const before = await Promise.all(names.map((name) => readFile(path.join(root, name))));
    // Root writes anywhere: the CLI runs as `nobody` where the test runs as root.
    const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    if (user.uid !== undefined) for (const name of ['', ...(await filesBelow(root))]) await lchown(path.join(root, name), user.uid, user.gid!);
    await chmod(path.join(root, 'locales/nl'), 0o555);

    const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'statements.js'), 'extract'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true', NO_COLOR: '1' },
      ...user,
    });
    await chmod(path.join(root, 'locales/nl'), 0o755);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('locales/nl/s.json  error  Cannot write `locales/nl/s.json`: permission denied (EACCES)  write-failed');
    expect(result.stderr).not.toMatch(/^ {4}at /m);
    expect(await tempsBelow(root)).toEqual([]);
    const after = await Promise.all(names.map((name) => readFile(path.join(root, name))));
    names.forEach((name, index) => expect(after[index]!.equals(before[index]!), `${name} unchanged`).toBe(true));
  });

  it('clears the temp files of an extract killed with SIGKILL at the next run, and leaves every bundle valid JSON', async () => {
    // 50 statements: the CLI is killed part way through them.
    const root = await makeProject(Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`statements/s-${index}.md`, statementText(index)])));
    const states = path.join(root, 'locales/.state');
    const killed = await killWhile(['extract'], root, async () => (await readdir(states).catch(() => [])).length >= 5);
    const live = liveProcess();
    try {
      const kept = await plantTemps(root, killed, live.pid!);
      const report = await extractProject(await loadConfig(root));
      expect(report.diagnostics.count().errors).toBe(0);
      expect(await tempsBelow(root)).toEqual([kept]);
      await expectEveryJsonValid(path.join(root, 'locales'));
      expect((await readdir(states)).length).toBe(50);
    } finally {
      live.kill();
    }
  });

  it('marks a run on disk only once it writes a temp: an extract with nothing to change creates and deletes no file', async () => {
    const root = await makeProject({ 'statements/s.md': statementText(0) });
    const config = await loadConfig(root);
    await extractProject(config);
    // The second remembers the identities of the files the first one wrote.
    await extractProject(config);
    const runs = path.join(root, '.cache/runs');
    // Those extracts wrote: their markers came and went.
    expect(await readdir(runs)).toEqual([]);
    const before = (await stat(runs)).mtimeMs;
    // Later than a tick of the file-system clock, so that a marker made and removed would move the folder's time.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await extractProject(config)).unchanged).toBe(1);
    expect((await stat(runs)).mtimeMs).toBe(before);
  });

  it('clears the temp files of an XLIFF import killed with SIGKILL at the next run, which then imports everything', async () => {
    const root = await makeProject();
    const config = await generateCorpus(root, 50);
    await exportXliff(config, { locale: 'nl', memory: false });
    const xliff = (await readdir(path.join(root, 'xliff'))).map((name) => path.join(root, 'xliff', name));
    // Each exported target ends in " nl" (the corpus's stand-in translator): a changed target is a write.
    for (const file of xliff) await writeFile(file, (await readFile(file, 'utf8')).replaceAll(' nl<', ' NL<'));
    const first = path.join(root, 'locales/nl/statement-0000.json');
    const original = await readFile(first, 'utf8');
    const killed = await killWhile(['xliff', 'import', ...xliff], root, async () => (await readFile(first, 'utf8')) !== original);
    const live = liveProcess();
    try {
      const kept = await plantTemps(root, killed, live.pid!);
      const report = await importXliff(config, xliff);
      expect(report.diagnostics.count().errors).toBe(0);
      expect(await tempsBelow(root)).toEqual([kept]);
      await expectEveryJsonValid(path.join(root, 'locales'));
      for (let index = 0; index < 50; index++) {
        const bundle = await readJson(path.join(root, `locales/nl/statement-${String(index).padStart(4, '0')}.json`));
        expect(Object.values(bundle).filter((value) => / nl(<|$)/.test(value))).toEqual([]);
      }
    } finally {
      live.kill();
    }
  });

  it('keeps the mode of a rewritten bundle: read-only stays 0444, group-writable stays 0664', async () => {
    const root = await makeProject({ 'statements/s.md': `---\ntitle: The title\ndate: "2024-03-01"\nlang: en\n---\n\nAlpha paragraph about the company.\n` });
    const config = await loadConfig(root);
    await extractProject(config);
    await chmod(path.join(root, 'locales/nl/s.json'), 0o444);
    await chmod(path.join(root, 'locales/fr/s.json'), 0o664);
    await writeFile(
      path.join(root, 'statements/s.md'),
      `---\ntitle: The title\ndate: "2024-03-01"\nlang: en\n---\n\nAlpha paragraph about the company.\n\nBravo paragraph added later.\n`,
    );
    await extractProject(config);
    expect(Object.keys(await readJson(path.join(root, 'locales/nl/s.json')))).toContain('intro.bravo-paragraph-added-later');
    expect((await stat(path.join(root, 'locales/nl/s.json'))).mode & 0o777).toBe(0o444);
    expect((await stat(path.join(root, 'locales/fr/s.json'))).mode & 0o777).toBe(0o664);
  });
});

describe('no silent changes to translators’ files', () => {
  it('reports a repeated key at its second occurrence and leaves the bundle byte for byte as it was', async () => {
    const root = await fixtureProject('disk-duplicate-key');
    const before = await readFile(path.join(root, 'locales/nl/s.json'));
    const report = await extractProject(await loadConfig(root));
    expect(places(report.diagnostics)).toEqual(['locales/nl/s.json:5:3 duplicate-key']);
    expect(messages(report.diagnostics)[0]!.message).toContain('Duplicate key `intro.alpha-paragraph-about-the`');
    expect((await readFile(path.join(root, 'locales/nl/s.json'))).equals(before)).toBe(true);
    expect(report.statements.map((statement) => statement.slug)).toEqual(['t']);
  });

  it('reports the first byte that is not UTF-8 with its line and column and leaves the bundle as it was', async () => {
    const root = await fixtureProject('disk-invalid-utf8');
    const before = await readFile(path.join(root, 'locales/nl/s.json'));
    const report = await extractProject(await loadConfig(root));
    // Line 2 holds a real U+FFFD, which is valid UTF-8; the Latin-1 `é` of line 3 is not.
    const column = '  "intro.alpha-paragraph-about-the": "Alfa-alinea over het caf'.length + 1;
    expect(places(report.diagnostics)).toEqual([`locales/nl/s.json:3:${column} invalid-utf8`]);
    expect(messages(report.diagnostics)[0]!.message).toContain('Unexpected byte `0xE9`, expected UTF-8');
    expect((await readFile(path.join(root, 'locales/nl/s.json'))).equals(before)).toBe(true);
    expect(report.statements.map((statement) => statement.slug)).toEqual(['t']);
  });

  it('reports control characters in a translation at its key and never writes them to the site', async () => {
    const root = await fixtureProject('disk-control-character');
    const config = await loadConfig(root);
    const before = await readFile(path.join(root, 'locales/nl/s.json'));
    const extract = await extractProject(config);
    expect(places(extract.diagnostics)).toEqual(['locales/nl/s.json:3:3 control-character', 'locales/nl/s.json:4:3 control-character']);
    expect(messages(extract.diagnostics).map((message) => message.message)).toEqual([
      'Unexpected control character `U+0000` in the translation of `intro.alpha-paragraph-about-the`, expected text: remove it',
      'Unexpected control character `U+0001` in the translation of `intro.bravo-paragraph-about-the`, expected text: remove it',
    ]);
    expect((await readFile(path.join(root, 'locales/nl/s.json'))).equals(before)).toBe(true);

    const build = await buildProject(config, { jobs: 1 });
    expect(places(build.diagnostics)).toContain('locales/nl/s.json:3:3 control-character');
    // No page or PDF of `s` in any locale; the site's text files (HTML, XML, JSON) hold no NUL.
    expect(build.documents.map((document) => `${document.slug}/${document.locale}`).sort()).toEqual(['t/en', 't/nl']);
    const built = await filesBelow(config.outDir);
    expect(built.filter((name) => name.split('/').includes('s'))).toEqual([]);
    for (const name of built.filter((file) => /\.(html|xml|json|txt)$/.test(file)))
      expect((await readFile(path.join(config.outDir, name))).includes(0), name).toBe(false);
  });

  it('reports a translation longer than `limits.translationLength` at its key, naming the setting', async () => {
    const root = await fixtureProject('disk-translation-length');
    const before = await readFile(path.join(root, 'locales/nl/s.json'));
    const report = await extractProject(await loadConfig(root));
    expect(places(report.diagnostics)).toEqual(['locales/nl/s.json:3:3 translation-length']);
    expect(messages(report.diagnostics)[0]!.message).toBe(
      'Unexpected translation of 82 characters for key `intro.alpha-paragraph-about-the`, expected at most 60 (`limits.translationLength`)',
    );
    expect((await readFile(path.join(root, 'locales/nl/s.json'))).equals(before)).toBe(true);
  });

  it('reports a bundle larger than `limits.bundleBytes`, naming the setting, without reading it', async () => {
    const root = await fixtureProject('disk-translation-length');
    const report = await extractProject(await loadConfig(root, { limits: { bundleBytes: 100 } }));
    const size = (await stat(path.join(root, 'locales/nl/s.json'))).size;
    expect(messages(report.diagnostics).map((message) => `${message.file}:${message.line}:${message.column} ${message.message}`)).toEqual([
      `locales/nl/s.json:1:1 Unexpected file of ${size} bytes, expected at most 100 (\`limits.bundleBytes\`)`,
    ]);
  });
});
