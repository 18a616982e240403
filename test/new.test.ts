/** `statements new <slug>`: a statement to start from, and refusals that write nothing. */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { makeProject, runCli, snapshot } from './helpers.ts';

describe('statements new', () => {
  test('writes statements/<slug>.md with every front-matter field and a guide in comments, which extracts and builds without errors and never shows', async () => {
    const root = await makeProject();
    const run = await runCli(['new', 'port-expansion'], root);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Wrote statements/port-expansion.md');
    const text = await readFile(path.join(root, 'statements', 'port-expansion.md'), 'utf8');
    const front = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]!) as Record<string, unknown>;
    expect(Object.keys(front)).toEqual(['title', 'date', 'lang', 'summary', 'author', 'contact']);
    expect(Object.keys(front.contact as object)).toEqual(['name', 'role', 'email', 'phone']);
    expect(front.date).toBe(new Date().toISOString().slice(0, 10));
    expect(text).toMatch(/^# locales: \[nl, fr\]/m);
    expect(text).toContain('npx statements serve');
    expect((await runCli(['extract'], root)).code).toBe(0);
    const built = await runCli(['build'], root);
    expect(built.code, built.stderr).toBe(0);
    expect(built.stderr).not.toMatch(/\berror\b/);
    const page = await readFile(path.join(root, 'dist', 'nl', 'port-expansion', 'index.html'), 'utf8');
    expect(page).toContain('The first paragraph of the statement.');
    expect(page).not.toContain('never published');
  });

  test('refuses an existing slug, a bad name and the reserved `common` with one sentence and exit 1, writing nothing', async () => {
    const root = await makeProject({ 'statements/archive/port-expansion.md': '---\ntitle: "Kept"\ndate: "2024-01-02"\n---\n\nMine.\n' });
    const before = await snapshot(root);
    const cases: Array<[string, string]> = [
      ['port-expansion', '✖ Statement `port-expansion` exists: `statements/archive/port-expansion.md`; edit it, or choose another name'],
      ['Port_Expansion', '✖ Unexpected name `Port_Expansion`, expected a slug of lowercase letters, digits and single dashes such as `port-expansion`'],
      ['../outside', '✖ Unexpected name `../outside`, expected a slug'],
      ['common', '✖ Reserved slug `common`'],
    ];
    for (const [name, message] of cases) {
      const run = await runCli(['new', name], root);
      expect(run.code, name).toBe(1);
      expect(run.stderr, name).toContain(message);
    }
    expect((await runCli(['new'], root)).stderr).toContain('✖ Expected one slug');
    expect(await snapshot(root)).toEqual(before);
    expect(await readdir(path.join(root, 'statements'))).toEqual(['archive']);
  });
});
