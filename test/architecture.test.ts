/**
 * The architecture check that `npm test` runs first (`npm run deps`) on the
 * pipeline, proven able to fail: a project with an upward import and a cycle is refused with
 * each rule named.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fixtures, repoRoot } from './helpers.ts';

function depcruise(cwd: string) {
  const bin = path.join(repoRoot, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const result = spawnSync(process.execPath, [bin, 'pipeline', '--config', path.join(repoRoot, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('the architecture check', () => {
  it('refuses an import from a later stage and an import cycle, naming the rule and the files', () => {
    const { code, output } = depcruise(path.join(fixtures, 'architecture'));
    expect(code).not.toBe(0);
    expect(output).toMatch(/no-upward-import-from-parse: pipeline\/parse\/parse\.ts → pipeline\/render\/page\.ts/);
    expect(output).toMatch(/no-cycles: pipeline\/render\/(page|layout)\.ts/);
  });
});
