/**
 * `statements check` end to end, on a copy of the repository's statements
 * and locales: the first real statement has exactly three placeholder links.
 */
import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyOfRepository, runCli } from './helpers.ts';
import { check, copyFixture, placesOf } from './check-support.ts';
import { RULES } from '../pipeline/check/settings.ts';

const slug = 'lydis-statement-follow-the-money';
const statement = `statements/${slug}.md`;

/** Line and column of each `[text](#)` in the statement, found in its text. */
async function placeholderPlaces(root: string): Promise<string[]> {
  const lines = (await readFile(path.join(root, statement), 'utf8')).split('\n');
  return lines.flatMap((line, index) => [...line.matchAll(/\[[^\]]*\]\(#\)/g)].map((match) => `${statement}:${index + 1}:${match.index + 1}`));
}

describe('statements check on the first real statement', () => {
  it('reports its three placeholder links once each, with their places, and nothing that fails', async () => {
    const root = await copyOfRepository();
    const { report, all } = await check(root);
    const expected = await placeholderPlaces(root);
    expect(expected).toHaveLength(3);
    expect(placesOf(all, 'link-placeholder')).toEqual(expected.map((place) => `${place} warning`));
    expect(all.filter((f) => f.rule === 'link-placeholder').map((f) => f.message)).toEqual([
      'Placeholder link target "#" on link `requirements`, expected the real URL',
      'Placeholder link target "#" on link `here`, expected the real URL',
      'Placeholder link target "#" on link `here`, expected the real URL',
    ]);
    expect(report.errors).toBe(0);
  });

  it('prints the placeholders like a linter and exits 0; with --strict it exits 1', async () => {
    const root = await copyOfRepository();
    const result = await runCli(['check'], root);
    expect(result.code).toBe(0);
    for (const place of await placeholderPlaces(root)) {
      expect(result.stderr).toContain(`${place}  warning  Placeholder link target "#"`);
    }
    expect(result.stderr).toMatch(/0 errors, \d+ warnings?/);
    const strict = await runCli(['check', '--strict'], root);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${(await placeholderPlaces(root))[0]}  error  Placeholder link target "#"`);
  });

  it("exits 1 on a translator's altered email address, naming the locale file and the line of the key", async () => {
    const root = await copyOfRepository();
    const file = path.join(root, 'locales', 'nl', `${slug}.json`);
    const bundle = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    const key = 'intro.gijsbert-zijlstra-technical-director';
    bundle[key] = 'Gijsbert Zijlstra<1/>Technisch directeur<2/>gijsbert.zijlstra@lydis.nl';
    const text = `${JSON.stringify(bundle, null, 2)}\n`;
    await writeFile(file, text);
    const line = text.split('\n').findIndex((row) => row.includes(`"${key}"`)) + 1;
    const result = await runCli(['check'], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `locales/nl/${slug}.json:${line}:3  error  Email address \`gijsbert.zijlstra@lydis.com\` changed to \`gijsbert.zijlstra@lydis.nl\` in the nl translation of \`${key}\`, expected it unchanged  email-changed`,
    );
  });

  it('gives machines the findings as JSON with file, place, severity and rule', async () => {
    const root = await copyFixture('check-broken');
    const result = await runCli(['check', '--json'], root);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as { errors: number; warnings: number; messages: Array<Record<string, unknown>> };
    expect(output.errors).toBeGreaterThan(0);
    expect(output.messages).toContainEqual({
      file: 'statements/broken.md',
      line: 19,
      column: 13,
      severity: 'error',
      message: 'Fragment `#histroy` matches no heading id of this statement, did you mean `history`?',
      rule: 'link-fragment',
    });
  });

  it('lists every rule with its severity, as the config sets it', async () => {
    const root = await copyFixture('check-clean');
    await writeFile(path.join(root, 'statements.config.json'), JSON.stringify({ checks: { rules: { 'link-insecure': 'error' } } }));
    const result = await runCli(['check', '--rules'], root);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^link-placeholder +warning +A link target is a placeholder/m);
    expect(result.stdout).toMatch(/^link-insecure +error /m);
    expect(result.stdout.trim().split('\n')).toHaveLength(Object.keys(RULES).length);
  });

  it('checks only the statements named, and reports an unknown name', async () => {
    const root = await copyFixture('check-clean');
    expect((await check(root, { slugs: ['background'] })).all).toEqual([]);
    const unknown = await check(root, { slugs: ['nope'] });
    expect(unknown.report.errors).toBe(1);
    expect(unknown.all[0]!.message).toBe('Unknown statement `nope`, expected one of `background`, `press-release`');
  });
});
