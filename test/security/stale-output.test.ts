/**
 * What an earlier build left in `dist/` is not trusted either: a statement
 * that no longer builds takes its old output with it, a killed build's temp
 * files are cleared, and a statement that cannot even be read never stops a
 * forced publish of the others.
 */
import { describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../pipeline/config.ts';
import { buildProject } from '../../pipeline/commands/build.ts';
import { extractProject } from '../../pipeline/commands/extract.ts';
import { publishProject } from '../../pipeline/commands/publish.ts';
import { toJson } from '../../pipeline/diagnostics.ts';
import { fixtures, makeProject, readJson } from '../helpers.ts';

const statement = (title: string, body = 'We publish this statement today.') => `---\ntitle: "${title}"\ndate: "2024-03-01"\nlang: en\n---\n\n${body}\n`;
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );
const filesBelow = async (dir: string) =>
  (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));

describe('output of earlier builds', () => {
  it('withdraws the earlier output of a statement that no longer builds, so `publish --force` sends none of it', async () => {
    const root = await makeProject({
      'statements.config.json': JSON.stringify({ locales: ['en'] }),
      'statements/logo.md': statement('Logo', '![Our logo](logo.png)'),
      'statements/other.md': statement('Other'),
    });
    await copyFile(path.join(fixtures, 'security/assets-images/logo.png'), path.join(root, 'statements/logo.png'));
    const config = await loadConfig(root);
    await buildProject(config);
    expect(await exists(path.join(root, 'dist/en/logo/logo.png'))).toBe(true);

    // The image is swapped for a link out of the project: the statement fails, and its old pages go.
    await rm(path.join(root, 'statements/logo.png'));
    await symlink('/etc/passwd', path.join(root, 'statements/logo.png'));
    const report = await buildProject(config);
    expect(toJson(report.diagnostics.files, root).map((message) => message.rule)).toContain('image-outside');
    expect(await exists(path.join(root, 'dist/en/logo'))).toBe(false);
    expect(await readFile(path.join(root, 'dist/en/index.html'), 'utf8')).not.toContain('Logo');

    const target = await mkdtemp(path.join(tmpdir(), 'statements-target-'));
    const published = await publishProject(config, { force: true, check: false, build: false, env: {}, overrides: { target } });
    expect(published.gate.forced).toBe(false);
    const files = await filesBelow(target);
    expect(files).toContain(path.join('en', 'other', 'index.html'));
    expect(files.filter((name) => name.includes('logo'))).toEqual([]);
  });

  it('withdraws only the language whose translation broke', async () => {
    const root = await makeProject({
      'statements.config.json': JSON.stringify({ locales: ['nl', 'en'] }),
      'statements/s.md': statement('Title', 'Read the *report* today.'),
    });
    const config = await loadConfig(root);
    await extractProject(config);
    const source = await readJson(path.join(root, 'locales/en/s.json'));
    const translate = (broken: boolean) =>
      Object.fromEntries(Object.entries(source).map(([key, text]) => [key, broken ? `NL ${text.replace(/<\/?1>/g, '')}` : `NL ${text}`]));
    await writeFile(path.join(root, 'locales/nl/s.json'), JSON.stringify(translate(false)));
    await buildProject(config);
    expect(await exists(path.join(root, 'dist/nl/s/index.html'))).toBe(true);

    await writeFile(path.join(root, 'locales/nl/s.json'), JSON.stringify(translate(true)));
    const report = await buildProject(config);
    expect(report.failed).toBe(1);
    expect(await exists(path.join(root, 'dist/nl/s'))).toBe(false);
    expect(await exists(path.join(root, 'dist/en/s/index.html'))).toBe(true);
  });

  it('clears the temp files a killed build left in dist/, so that no publish ever sends them', async () => {
    const root = await makeProject({ 'statements.config.json': JSON.stringify({ locales: ['en'] }), 'statements/s.md': statement('Title') });
    const config = await loadConfig(root);
    await buildProject(config);
    // What a build killed between write and rename leaves: its run marker and a temp. No process has
    // pid 2^22 + 1 (above Linux's pid_max), so both are stale.
    const leftover = path.join(root, 'dist/en/s/index.html.tmp-4194305-1a2b3c4d');
    await writeFile(leftover, '<p>half a page');
    await writeFile(path.join(root, '.cache/runs/4194305'), '');
    await buildProject(config);
    expect(await exists(leftover)).toBe(false);
    expect(await readdir(path.join(root, '.cache/runs'))).toEqual([]);
  });

  it('publishes the other statements with `--force` when one cannot be read as text', async () => {
    const root = await makeProject({ 'statements.config.json': JSON.stringify({ locales: ['en'] }), 'statements/small.md': statement('Small') });
    await writeFile(path.join(root, 'statements/big.md'), Buffer.concat([Buffer.from(statement('Big', 'Bad ')), Buffer.from([0xff, 0x0a])]));
    const target = await mkdtemp(path.join(tmpdir(), 'statements-target-'));
    const published = await publishProject(await loadConfig(root), { force: true, check: false, env: {}, overrides: { target } });
    expect(toJson(published.diagnostics.files, root).map((message) => `${message.file}:${message.line}:${message.column} ${message.rule}`)).toContain(
      'statements/big.md:8:1 encoding',
    );
    const files = await filesBelow(target);
    expect(files).toContain(path.join('en', 'small', 'index.html'));
    expect(files.filter((name) => name.includes('big'))).toEqual([]);
  });
});
