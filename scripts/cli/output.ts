/**
 * Terminal output: linter-style findings, tables, and progress that is a bar
 * on a terminal and plain lines in CI.
 */
import { formatReport, toJson, type Diagnostics } from '../../pipeline/diagnostics.ts';

const interactive = Boolean(process.stderr.isTTY) && !process.env.CI;

/** Print findings (stderr) and turn them into an exit code: errors, or warnings when strict. */
export function finish(diagnostics: Diagnostics, options: { strict?: boolean; json?: boolean; result?: unknown }): number {
  const { errors, warnings } = diagnostics.count();
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ ...(options.result as object), messages: toJson(diagnostics.files, diagnostics.cwd) }, null, 2)}\n`);
  } else {
    const text = formatReport(diagnostics.files, diagnostics.cwd);
    if (text) process.stderr.write(`${text}\n`);
  }
  return errors > 0 || (options.strict && warnings > 0) ? 1 : 0;
}

/** A fixed-width table with a header row. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [line(cells[0]!), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n');
}

/** Progress reporter: a redrawn bar on a terminal, a line per step elsewhere. */
export function progress(label: string): (done: number, total: number) => void {
  let lastPlain = 0;
  return (done, total) => {
    if (interactive) {
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
    } else if (done === total || done - lastPlain >= Math.max(1, Math.ceil(total / 10))) {
      lastPlain = done;
      process.stderr.write(`${label}: ${done}/${total}\n`);
    }
  };
}
