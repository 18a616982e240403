/**
 * The final table of `npm run bench`: each figure of issue 14 with what a
 * user would pick instead, measured in the same run, and the target. The
 * sections add their rows as they measure; bench.ts prints them last.
 */
import { spawnSync } from 'node:child_process';

export interface Row {
  stage: string;
  ours: string;
  peer?: string;
  /** How many times faster (or, for sizes, smaller) ours is; above 1 is ahead. */
  ratio?: number;
  target?: string;
}

const rows: Row[] = [];

export function addRow(row: Row): void {
  rows.push(row);
}

/** Whether an external program answers `args` (a version flag): peers are skipped cleanly when absent. */
export function installed(command: string, args = ['--version']): boolean {
  const result = spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 });
  return result.status === 0;
}

export const NOT_INSTALLED = 'not installed';

/** The fastest of repeated runs by `ms`: on a shared VM a moment's load slows a run, never speeds it up. */
export function fastest<T>(runs: T[], ms: (run: T) => number): T {
  return runs.reduce((best, run) => (ms(run) < ms(best) ? run : best));
}

/** The table, as Markdown so that it can be pasted into an issue as it is. */
export function summaryTable(): string {
  const lines = ['| stage | this project | peer | ratio | target |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const ratio = row.ratio === undefined || !Number.isFinite(row.ratio) ? '—' : `${row.ratio.toFixed(row.ratio < 10 ? 2 : 1)}×`;
    lines.push(`| ${row.stage} | ${row.ours} | ${row.peer ?? '—'} | ${ratio} | ${row.target ?? '—'} |`);
  }
  return lines.join('\n');
}
