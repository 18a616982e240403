import { describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyOfRepository, fixtures, makeProject, repoRoot, runCli, snapshot, spawnCli } from './helpers.ts';

const statement = (front: string, body = 'Some text.') => `---\n${front}\n---\n\n${body}\n`;
const valid = statement('title: Title\ndate: "2024-01-01"\nlang: en');

describe('statements CLI', () => {
  it('extracts and builds the first real statement in Dutch and French from a copy of the repository', async () => {
    const root = await copyOfRepository();
    expect((await runCli(['extract'], root)).code).toBe(0);
    const build = await runCli(['build', '--strict'], root);
    expect(build.stderr).not.toMatch(/warning|error/);
    expect(build.code).toBe(0);
    const slug = 'lydis-statement-follow-the-money';
    const nl = await readFile(path.join(root, 'dist', 'nl', slug, `${slug}-nl.md`), 'utf8');
    const fr = await readFile(path.join(root, 'dist', 'fr', slug, `${slug}-fr.md`), 'utf8');
    expect(nl).toContain('Op 16 september 2023 verschenen');
    expect(nl).toContain('[vereisten](#)');
    expect(fr).toContain('Le 16 septembre 2023, deux articles');
    expect(fr).toContain('Directeur technique\\\ngijsbert.zijlstra@lydis.com'); // the address as the author wrote it
    const status = await runCli(['status', '--json', '--require-complete'], root);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).statements.map((row: { percent: number }) => row.percent)).toEqual([100, 100]);
  });

  // Pinned as text files, so that a changed flag or summary shows in review.
  it.each(['new', 'extract', 'build', 'status', 'check', 'serve', 'publish', 'xliff'])(
    'prints the help of `%s` as pinned in test/__snapshots__/help/',
    async (command) => {
      const result = await runCli([command, '--help'], repoRoot);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      await expect(result.stdout).toMatchFileSnapshot(`__snapshots__/help/${command}.txt`);
    },
  );

  it('prints the main help for --help, and with exit code 1 when no command is given', async () => {
    const help = await runCli(['--help'], repoRoot);
    expect(help).toMatchObject({ code: 0, stderr: '' });
    await expect(help.stdout).toMatchFileSnapshot('__snapshots__/help/statements.txt');
    expect(await runCli([], repoRoot)).toEqual({ ...help, code: 1 });
  });

  it('works on another folder with --cwd, before or after the command', async () => {
    const root = await makeProject({ 'statements/other.md': valid });
    expect((await runCli(['extract', '--cwd', root], process.cwd())).code).toBe(0);
    expect(await readFile(path.join(root, 'locales', 'en', 'other.json'), 'utf8')).toContain('Some text.');
    const status = await runCli(['--cwd', root, 'status'], process.cwd());
    expect(status.stderr).toBe('');
    expect(status.stdout).toMatch(/^other +nl /m);
  });

  it('exits 1 from status --require-complete while a target locale is incomplete', async () => {
    const root = await makeProject({ 'statements/s.md': valid });
    await runCli(['extract'], root);
    const result = await runCli(['status', '--require-complete'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Incomplete: s (nl 0%), s (fr 0%)');
  });

  describe('reports bad input with its place, exits 1, and writes or loses nothing', () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      [
        'malformed front matter',
        { 'statements/s.md': statement('title: "Unclosed\ndate: "2024-01-01"') },
        'statements/s.md:2:17  error  Invalid front matter: Missing closing "quote  front-matter',
      ],
      [
        'a front matter without a date',
        { 'statements/s.md': statement('title: Title') },
        'statements/s.md:2:1  error  Missing `date` in front matter  front-matter',
      ],
      [
        'a bad date',
        { 'statements/s.md': statement('title: Title\ndate: 16/09/2023') },
        'statements/s.md:3:7  error  Unexpected date `16/09/2023`, expected `YYYY-MM-DD`  front-matter',
      ],
      [
        'an unknown locale',
        { 'statements/s.md': statement('title: Title\ndate: "2024-01-01"\nlocales: [nl, de]') },
        'statements/s.md:4:15  error  Unknown locale `de` in `locales`, expected one of `nl`, `fr`, `en`  unknown-locale',
      ],
      ['a missing front matter', { 'statements/s.md': 'Just text.\n' }, 'statements/s.md:1:1  error  Missing front matter'],
      ['an empty statement', { 'statements/s.md': '---\ntitle: Title\ndate: "2024-01-01"\n---\n' }, 'error  The statement is empty'],
      ['two statements with the same slug', { 'statements/s.md': valid, 'statements/2024/s.md': valid }, 'statements/2024/s.md:1:1  error  Duplicate slug `s`'],
      [
        'invalid JSON in a locale file (a missing comma)',
        { 'statements/s.md': valid, 'locales/nl/s.json': '{\n  "meta.title": "Titel"\n  "intro.some-text": "Wat tekst."\n}\n' },
        'locales/nl/s.json:3:3  error  Invalid JSON: Unexpected `"`, expected `,` or `}` after the value (after key `meta.title`)  json-syntax',
      ],
      [
        'a trailing comma in a locale file',
        { 'statements/s.md': valid, 'locales/fr/s.json': '{\n  "meta.title": "Titre",\n}\n' },
        'locales/fr/s.json:3:1  error  Invalid JSON: Unexpected `}` after `,`: remove the trailing comma (after key `meta.title`)  json-syntax',
      ],
      [
        'a non-string value in a locale file',
        { 'statements/s.md': valid, 'locales/nl/s.json': '{\n  "meta.title": "Titel",\n  "intro.some-text": 42\n}\n' },
        'locales/nl/s.json:3:3  error  Unexpected number for key `intro.some-text`, expected a string in double quotes  bundle-shape',
      ],
      [
        'a key twice in a locale file, on one line and among escaped quotes',
        { 'statements/s.md': valid, 'locales/nl/s.json': '{"meta.title": "De \\"titel\\" \\\\", "meta.title": "Titel"}\n' },
        'locales/nl/s.json:1:35  error  Duplicate key `meta.title`, expected each key once: a rewrite would keep only its last translation  duplicate-key',
      ],
      [
        'a broken config file',
        { 'statements/s.md': valid, 'statements.config.json': '{ "locales": ["nl", "fr",] }' },
        'statements.config.json:1:26  error  Invalid JSON',
      ],
    ];
    it.each(cases)('%s', async (_name, files, expected) => {
      const root = await makeProject(files);
      const before = await snapshot(root);
      for (const command of ['extract', 'build']) {
        const result = await runCli([command], root);
        expect(result.code, result.stderr).toBe(1);
        expect(result.stderr).toContain(expected);
        expect(await snapshot(root), 'no file written or lost').toEqual(before);
      }
    });
  });

  it("keeps a translator's broken file untouched while other statements go on", async () => {
    const root = await makeProject({ 'statements/a.md': valid, 'statements/b.md': valid, 'locales/nl/a.json': '{ "meta.title": "Titel" "x": "y" }' });
    const result = await runCli(['extract'], root);
    expect(result.code).toBe(1);
    expect(await readFile(path.join(root, 'locales/nl/a.json'), 'utf8')).toBe('{ "meta.title": "Titel" "x": "y" }');
    expect(await readFile(path.join(root, 'locales/nl/b.json'), 'utf8')).toContain('"intro.some-text": ""');
  });

  it('prints findings like a linter and keeps them machine-readable with --json', async () => {
    const root = await makeProject({ 'statements/s.md': valid });
    await runCli(['extract'], root);
    await writeFile(path.join(root, 'locales/nl/s.json'), '{\n  "meta.title": "Titel",\n  "intro.some-text": ""\n}\n');
    const json = await runCli(['build', '--json'], root);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).messages).toContainEqual({
      file: 'locales/nl/s.json',
      line: 3,
      column: 3,
      severity: 'warning',
      message: 'Missing nl translation of `intro.some-text`, using the source text',
      rule: 'missing-translation',
    });
    expect((await runCli(['build', '--strict'], root)).code).toBe(1);
  });

  describe('as a separate process through bin/statements.js', () => {
    it('loads the TypeScript CLI and prints the main help with exit code 0', () => {
      const result = spawnCli(['--help'], repoRoot);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toMatch(/^Usage: statements <command> \[options\]\n/);
    });

    it('exits with the code main returns: 1 for a positioned finding', async () => {
      const root = await makeProject({ 'statements/s.md': statement('title: Title') });
      const result = spawnCli(['extract'], root);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('statements/s.md:2:1  error  Missing `date` in front matter  front-matter');
    });
  });
});

describe('output that points at what matters', () => {
  /** The readiness fixture: `complete`, `half` (nl half translated) and `broken` (a tag error in fr). */
  const readiness = async () => {
    const root = await makeProject();
    await cp(path.join(fixtures, 'readiness'), root, { recursive: true });
    return root;
  };
  const tableRows = (stdout: string) =>
    stdout
      .slice(stdout.indexOf('statement  errors'))
      .split('\n')
      .slice(2)
      .filter(Boolean)
      .map((line) => line.split(/\s+/));

  it('check --quiet prints the errors only and ends with each statement that has errors, warnings or withheld versions', async () => {
    const root = await readiness();
    const quiet = await runCli(['check', '--quiet'], root);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toMatch(/^locales\/fr\/broken\.json:4:3 {2}error {2}Tags of `intro\.we-updated-the-firmware`/m);
    expect(quiet.stderr).not.toContain('  warning  ');
    expect(quiet.stderr).toContain('✖ 1 error, 4 warnings');
    // Quiet: `half` is listed for its withheld nl version, not for its warnings; `complete` has nothing to show.
    expect(tableRows(quiet.stdout)).toEqual([
      ['broken', '1', '0', 'fr'],
      ['half', '0', '4', 'nl'],
    ]);
    const full = await runCli(['check'], root);
    expect(full.stderr).toContain('locales/nl/half.json:4:3  warning  Missing nl translation');
  });

  it('build names the documents it could not build, and the statement table counts their findings', async () => {
    const root = await readiness();
    const result = await runCli(['build', 'broken', 'half'], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^5 documents built, 0 unchanged, 1 failed \(broken in fr\), /m);
    expect(tableRows(result.stdout)).toEqual([
      ['broken', '1', '0', 'fr'],
      ['half', '0', '4', '-'],
    ]);
  });
});
