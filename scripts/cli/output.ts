/**
 * Terminal output: linter-style findings, tables, and progress that is a bar
 * on a terminal and plain lines in CI. Everything goes through an `Output`
 * made from the streams `main` is given, never `process.stdout` itself, so
 * the tests capture what a user would see without spawning a process.
 */
import { formatReport, toJson, type Diagnostics } from '../../pipeline/diagnostics.ts';
import type { StatementTally } from '../../pipeline/commands/readiness.ts';

/** What the CLI needs of a stream: `process.stdout` fits, and so does a string collector. */
export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The outside world of one run of the CLI. */
export interface Io {
  stdout: Stream;
  stderr: Stream;
  /** The folder `--cwd` is resolved against. Default `process.cwd()`. */
  cwd?: string;
  /** The environment (`CI`, `STATEMENTS_PUBLISH_*`). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The streams of one run, with a line printer for each. */
export interface Output {
  stdout: Stream;
  stderr: Stream;
  env: NodeJS.ProcessEnv;
  /** Redraw progress bars: stderr is a terminal and this is not CI. */
  interactive: boolean;
  /** A line on stdout. */
  log(text: string): void;
  /** A line on stderr. */
  error(text: string): void;
}

export function toOutput(io: Io): Output {
  const env = io.env ?? process.env;
  return {
    stdout: io.stdout,
    stderr: io.stderr,
    env,
    interactive: Boolean(io.stderr.isTTY) && !env.CI,
    log: (text) => io.stdout.write(`${text}\n`),
    error: (text) => io.stderr.write(`${text}\n`),
  };
}

/**
 * Print findings (stderr; `quiet`: errors only) and turn them into an exit
 * code: errors, or warnings when strict.
 */
export function finish(output: Output, diagnostics: Diagnostics, options: { strict?: boolean; json?: boolean; quiet?: boolean; result?: unknown }): number {
  const { errors, warnings } = diagnostics.count();
  if (options.json) {
    output.log(JSON.stringify({ ...(options.result as object), messages: toJson(diagnostics.files, diagnostics.cwd) }, null, 2));
  } else {
    const text = formatReport(diagnostics.files, diagnostics.cwd, options.quiet);
    if (text) output.error(text);
  }
  return errors > 0 || (options.strict && warnings > 0) ? 1 : 0;
}

/** The closing table of `check`, `build` and `publish`: each statement with errors, warnings or withheld versions (`quiet`: errors or withheld only). */
export function statementTable(output: Output, tallies: StatementTally[], quiet = false): void {
  const rows = tallies.filter((tally) => !quiet || tally.errors > 0 || tally.withheld.length > 0);
  if (rows.length === 0) return;
  output.log(
    `\n${table(
      ['statement', 'errors', 'warnings', 'withheld'],
      rows.map((tally) => [tally.slug, tally.errors, tally.warnings, tally.withheld.join(', ') || '-']),
    )}`,
  );
}

/** A fixed-width table with a header row; the first `left` columns aligned left, the others right (counts). */
export function table(header: string[], rows: Array<Array<string | number>>, left = 1): string {
  const cells = [header, ...rows.map((row) => row.map(String))];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => (column < left ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), line(widths.map((width) => '-'.repeat(width))), ...cells.slice(1).map(line)].join('\n');
}

/** Progress reporter: a redrawn bar on a terminal, a line per step elsewhere. */
export function progress(output: Output, label: string): (done: number, total: number) => void {
  let lastPlain = 0;
  return (done, total) => {
    if (output.interactive) {
      const width = 24;
      const filled = total ? Math.round((done / total) * width) : width;
      output.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
    } else if (done === total || done - lastPlain >= Math.max(1, Math.ceil(total / 10))) {
      lastPlain = done;
      output.error(`${label}: ${done}/${total}`);
    }
  };
}
