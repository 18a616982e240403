/** Tools of the check tests: fixture copies and findings as `file:line:col severity rule reason` lines. */
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { fixtures, makeProject } from './helpers.ts';
import { loadConfig } from '../pipeline/config.ts';
import { toJson } from '../pipeline/diagnostics.ts';
import { checkProject, type CheckOptions, type CheckReport } from '../pipeline/commands/check.ts';
import type { UserConfig } from '../pipeline/config.ts';

/** A temporary copy of `test/fixtures/<name>`. */
export async function copyFixture(name: string): Promise<string> {
  const root = await makeProject();
  await cp(path.join(fixtures, name), root, { recursive: true });
  return root;
}

export interface Finding {
  at: string;
  severity: string;
  rule: string;
  message: string;
}

/** Every finding of a report, sorted by file and place. */
export function findings(report: CheckReport): Finding[] {
  return toJson(report.diagnostics.files, report.diagnostics.cwd)
    .map((item) => ({
      at: `${item.file}${item.line ? `:${item.line}:${item.column}` : ''}`,
      severity: item.severity,
      rule: item.rule ?? '',
      message: item.message,
    }))
    .sort((a, b) => a.at.localeCompare(b.at, 'en', { numeric: true }) || a.rule.localeCompare(b.rule));
}

/** Findings of one rule as `place severity` strings. */
export const placesOf = (all: Finding[], rule: string) => all.filter((finding) => finding.rule === rule).map((finding) => `${finding.at} ${finding.severity}`);

/** Run the check on a project folder with its config file (and `overrides`). */
export async function check(root: string, options: CheckOptions = {}, overrides: UserConfig = {}): Promise<{ report: CheckReport; all: Finding[] }> {
  const config = await loadConfig(root, overrides);
  const report = await checkProject(config, options);
  return { report, all: findings(report) };
}
