/**
 * Limits and isolation: a hostile statement (YAML alias bomb, nesting
 * thousands deep, oversized, not UTF-8, control characters or an impossible
 * date in its front matter) is one positioned error, found in milliseconds,
 * and every command still processes the valid statement beside it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildProject, checkProject, exportXliff, extractProject, loadConfig, statusProject, type ResolvedConfig } from '../../pipeline/index.ts';
import { Diagnostics, toJson } from '../../pipeline/diagnostics.ts';
import { isolate } from '../../pipeline/project/project.ts';
import { unreviewed } from '../../pipeline/commands/review.ts';
import { fixtures, makeProject, runCli } from '../helpers.ts';

const front = (fields = 'title: Hostile\ndate: "2024-01-01"\nlang: en') => `---\n${fields}\n---\n\n`;

/** Each level expands nine times: 9⁹ "lol"s if nothing stops it. */
const aliasBomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[index]}`).join(',')}]`),
].join('\n');

const emphasisWords = Array.from({ length: 5_000 }, (_, index) => `*w${index} `).join('');

/** The hostile statements, each beside `valid.md` in one project (`limits.statementBytes` is 1,500,000 there). */
const hostile: Record<string, string | Buffer> = {
  'alias-bomb.md': `---\n${aliasBomb}\ntitle: Bomb\ndate: "2024-01-01"\nlang: en\n---\n\nText.\n`,
  'deep-quote.md': `${front()}${'>'.repeat(10_000)} deep\n`,
  'deep-emphasis.md': `${front()}${emphasisWords}deep${'*'.repeat(5_000)}\n`,
  'deep-list.md': `${front()}${Array.from({ length: 1_000 }, (_, index) => `${' '.repeat(2 * index)}- level ${index + 1}`).join('\n')}\n`,
  'deep-mixed.md': `${front()}${'> '.repeat(60)}${'*'.repeat(90)}deep${'*'.repeat(90)}\n`,
  'deep-front-matter.md': `---\ntitle: ${'['.repeat(100_000)}${']'.repeat(100_000)}\ndate: "2024-01-01"\nlang: en\n---\n\nText.\n`,
  // Nested block quotes all the way: were it parsed at all, it would be a nesting error too.
  'too-large.md': `${front()}${'>'.repeat(1_600_000)}\n`,
  'invalid-utf8.md': Buffer.concat([Buffer.from(`${front()}Café is fine.\nBad `), Buffer.from([0xff, 0xfe]), Buffer.from(' byte.\n')]),
  'control-characters.md': `${front('title: Launch\u0001day\ndate: "2024-01-01"\nlang: en\nsummary: "Nul\\0byte"\ncontact:\n  name: Vertical\u000Btab')}Text.\n`,
  'control-body.md': `${front()}Text with a NUL\u0000 and a bell\u0007.\n`,
  'impossible-day.md': `${front('title: Leap\ndate: "2024-02-30"\nlang: en')}Text.\n`,
  'impossible-month.md': `${front('title: Month\ndate: 2023-13-01\nlang: en')}Text.\n`,
};

/** `file:line:column rule` of every message. */
const places = (diagnostics: Diagnostics) => toJson(diagnostics.files, diagnostics.cwd).map((m) => `${m.file}:${m.line}:${m.column} ${m.rule}`);
const reasons = (diagnostics: Diagnostics, file: string) =>
  toJson(diagnostics.files, diagnostics.cwd)
    .filter((m) => m.file === file)
    .map((m) => m.message);
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

async function hostileProject(): Promise<string> {
  const root = await makeProject();
  await cp(path.join(fixtures, 'security', 'input-limits'), root, { recursive: true });
  for (const [name, content] of Object.entries(hostile)) await writeFile(path.join(root, 'statements', name), content);
  // A statement moved away, its link left behind: reading it fails in the file system.
  await symlink('../drafts/moved.md', path.join(root, 'statements', 'moved.md'));
  return root;
}

describe('limits and isolation', () => {
  let root: string;
  let config: ResolvedConfig;
  let runs: Record<'extract' | 'build' | 'check' | 'status' | 'xliff' | 'review', Diagnostics>;

  beforeAll(async () => {
    root = await hostileProject();
    config = await loadConfig(root);
    const extract = await extractProject(config);
    const build = await buildProject(config);
    const check = await checkProject(config);
    const status = await statusProject(config);
    const xliff = await exportXliff(config, { locale: 'nl' });
    const review = await unreviewed(config);
    runs = {
      extract: extract.diagnostics,
      build: build.diagnostics,
      check: check.diagnostics,
      status: status.diagnostics,
      xliff: xliff.diagnostics,
      review: review.diagnostics,
    };
  }, 120_000);

  /** The message at `place` is there, in every command's findings. */
  function expectEverywhere(place: string) {
    for (const [command, diagnostics] of Object.entries(runs)) expect(places(diagnostics), command).toContain(place);
  }

  it('reports a YAML alias bomb as a front-matter error at its first alias, naming limits.yamlAliases, instead of an uncaught "Excessive alias count"', async () => {
    expectEverywhere('statements/alias-bomb.md:3:8 front-matter');
    expect(reasons(runs.extract, 'statements/alias-bomb.md')).toEqual(['Front matter aliases expand to more than 100 values (limit `limits.yamlAliases`)']);
  });

  it('refuses a block quote nested 10,000 deep at its 101st marker before parsing', async () => {
    expectEverywhere('statements/deep-quote.md:7:101 nesting-depth');
    expect(reasons(runs.extract, 'statements/deep-quote.md')).toEqual(['Block quotes and lists are nested more than 100 deep (limit `limits.depth`)']);
  });

  it('refuses emphasis nested 5,000 deep at the 101st open delimiter before parsing', async () => {
    expectEverywhere(`statements/deep-emphasis.md:7:${emphasisWords.indexOf('*w100 ') + 1} nesting-depth`);
    expect(reasons(runs.extract, 'statements/deep-emphasis.md')).toEqual(['Emphasis and links are nested more than 100 deep (limit `limits.depth`)']);
  });

  it('refuses a list nested 1,000 deep at its 101st level before parsing', async () => {
    expectEverywhere('statements/deep-list.md:107:201 nesting-depth');
  });

  it('refuses nesting that the line scan lets through on the parsed tree, before the recursive transforms', async () => {
    // 60 block quotes hold 45 levels of strong emphasis: the 41st is level 101.
    expectEverywhere('statements/deep-mixed.md:7:201 nesting-depth');
    expect(reasons(runs.extract, 'statements/deep-mixed.md')).toEqual([
      'Block quotes, lists, emphasis and links are nested more than 100 deep (limit `limits.depth`)',
    ]);
  });

  it('refuses front matter nested 100,000 brackets deep at the 101st bracket', async () => {
    expectEverywhere('statements/deep-front-matter.md:2:108 nesting-depth');
  });

  it('refuses a statement over limits.statementBytes at line 1, naming the setting, without parsing it', async () => {
    expectEverywhere('statements/too-large.md:1:1 statement-size');
    const size = Buffer.byteLength(hostile['too-large.md']!);
    expect(reasons(runs.extract, 'statements/too-large.md')).toEqual([
      `Statement too large: ${size} bytes, expected at most 1500000 (limit \`limits.statementBytes\`)`,
    ]);
  });

  it('reports invalid UTF-8 at the line and column of the first bad byte, and never extracts U+FFFD', async () => {
    expectEverywhere('statements/invalid-utf8.md:8:5 encoding');
    expect(reasons(runs.extract, 'statements/invalid-utf8.md')).toEqual([
      'Invalid UTF-8: byte `0xFF` is not part of a character, expected the statement saved as UTF-8',
    ]);
    expect(await exists(path.join(root, 'locales/en/invalid-utf8.json'))).toBe(false);
  });

  it('reports control characters in title, summary and contact at the character, or at the value when written as an escape', () => {
    const found = places(runs.extract)
      .filter((place) => place.startsWith('statements/control-characters.md'))
      .sort();
    expect(found).toEqual([
      'statements/control-characters.md:2:14 control-character',
      'statements/control-characters.md:5:10 control-character',
      'statements/control-characters.md:7:17 control-character',
    ]);
    expect(reasons(runs.extract, 'statements/control-characters.md').sort()).toEqual([
      'Unexpected control character U+0000 in `summary`, expected text',
      'Unexpected control character U+0001 in `title`, expected text',
      'Unexpected control character U+000B in `contact.name`, expected text',
    ]);
  });

  it('reports control characters in the text at each character, and never extracts them', async () => {
    expectEverywhere('statements/control-body.md:7:16 control-character');
    expect(reasons(runs.extract, 'statements/control-body.md')).toEqual([
      'Unexpected control character U+0000 in the text, expected text: remove it',
      'Unexpected control character U+0007 in the text, expected text: remove it',
    ]);
    expect(await exists(path.join(root, 'locales/en/control-body.json'))).toBe(false);
  });

  it('reports impossible dates such as 2024-02-30 and 2023-13-01 at the date instead of publishing another day', async () => {
    expectEverywhere('statements/impossible-day.md:3:7 front-matter');
    expectEverywhere('statements/impossible-month.md:3:7 front-matter');
    expect(reasons(runs.extract, 'statements/impossible-day.md')).toEqual([
      'Unexpected date `2024-02-30`: there is no such day, expected a real date as `YYYY-MM-DD`',
    ]);
    expect(await exists(path.join(root, 'dist/en/impossible-day/index.html'))).toBe(false);
  });

  it('reports a file-system failure on one statement as one sentence naming the path and the cause', () => {
    expectEverywhere('statements/moved.md:1:1 io-error');
    expect(reasons(runs.extract, 'statements/moved.md')).toEqual(['Cannot read `statements/moved.md`: no such file or directory (ENOENT)']);
  });

  it('still extracts, builds, checks, counts, exports and reviews the valid statement beside the hostile ones', async () => {
    expect(JSON.parse(await readFile(path.join(root, 'locales/nl/valid.json'), 'utf8'))).toHaveProperty(['meta.title']);
    for (const locale of ['nl', 'fr', 'en']) expect(await exists(path.join(root, `dist/${locale}/valid/index.html`)), locale).toBe(true);
    expect(await exists(path.join(root, 'xliff/valid.nl.xlf'))).toBe(true);
    expect((await statusProject(config)).rows.map((row) => row.slug)).toContain('valid');
    for (const [command, diagnostics] of Object.entries(runs)) {
      const messages = toJson(diagnostics.files, diagnostics.cwd);
      expect(
        messages.filter((m) => m.file === 'statements/valid.md' && m.severity === 'error'),
        command,
      ).toEqual([]);
      expect(
        messages.filter((m) => m.rule === 'internal-error' || /\n\s+at /.test(m.message)),
        command,
      ).toEqual([]);
    }
  });

  it('turns anything else a statement throws into one internal-error on its file, and goes on', async () => {
    const diagnostics = new Diagnostics(root);
    let failed = false;
    const result = await isolate(
      path.join(root, 'statements/valid.md'),
      diagnostics,
      async () => {
        throw new TypeError('Cannot read properties of undefined');
      },
      () => (failed = true),
    );
    expect(result).toBeUndefined();
    expect(failed).toBe(true);
    expect(toJson(diagnostics.files, root)).toEqual([
      {
        file: 'statements/valid.md',
        line: 1,
        column: 1,
        severity: 'error',
        message: 'Internal error while processing this file: Cannot read properties of undefined',
        rule: 'internal-error',
      },
    ]);
  });

  it('keeps one hostile statement among 10 to itself on worker threads', async () => {
    const valid = await readFile(path.join(fixtures, 'security/input-limits/statements/valid.md'), 'utf8');
    const files = Object.fromEntries(Array.from({ length: 10 }, (_, index) => [`statements/s-${index}.md`, valid]));
    const many = await makeProject({ ...files, 'statements/deep-quote.md': hostile['deep-quote.md'] as string });
    const report = await extractProject(await loadConfig(many), { jobs: 2 });
    expect(report.statements).toHaveLength(10);
    expect(places(report.diagnostics)).toEqual(['statements/deep-quote.md:7:101 nesting-depth']);
  });

  it('exits 1 from the CLI with every finding and no stack trace', async () => {
    const result = await runCli(['extract'], root);
    expect(result.code).toBe(1);
    for (const name of [...Object.keys(hostile), 'moved.md']) expect(result.stderr).toContain(`statements/${name}:`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('prints a failure outside any statement as one line naming the file, and exits 2', async () => {
    // `.cache` is a file, so the extract cache cannot even be opened.
    const broken = await makeProject({ 'statements/valid.md': `${front()}Text.\n`, '.cache': '' });
    const result = await runCli(['extract'], broken);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^statements: internal error: Cannot \w+ `\.cache\/[^`]+`: not a directory \(ENOTDIR\)\n$/);
  });
});
