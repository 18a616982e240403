/**
 * The `statements` CLI: parses arguments, resolves the config, and calls the
 * library. Exit codes are decided here and nowhere else. Importing it runs
 * nothing: `bin/statements.js` calls `main` with the process's streams, the
 * tests call it with string collectors.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig } from '../pipeline/config.ts';
import { PipelineError, formatReport } from '../pipeline/diagnostics.ts';
import { explainIoError } from '../pipeline/project/fs.ts';
import type { CommandSpec } from './cli/command.ts';
import { toOutput, type Io } from './cli/output.ts';
import { extract } from './cli/extract.ts';
import { build } from './cli/build.ts';
import { status } from './cli/status.ts';
import { publish } from './cli/publish.ts';
import { check } from './cli/check.ts';
import { xliff } from './cli/xliff.ts';
import { newCommand } from './cli/new.ts';
import { serve } from './cli/serve.ts';

export type { Io } from './cli/output.ts';

const commands: CommandSpec[] = [newCommand, extract, build, status, check, serve, publish, xliff];

const global = { cwd: { type: 'string' as const }, help: { type: 'boolean' as const, short: 'h' } };

function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: statements <command> [options]',
    '',
    'Turn press statements in Markdown into faithful nl/fr/en versions, check them, and publish them.',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Options for every command:',
    '  --cwd DIR   the project folder (default: the current folder)',
    '  -h, --help  show help for a command: statements <command> --help',
  ].join('\n');
}

function commandHelp(command: CommandSpec): string {
  return [
    `Usage: ${command.usage}`,
    '',
    command.summary,
    '',
    'Options:',
    ...command.help.map((line) => `  ${line}`),
    '  --cwd DIR   the project folder (default: the current folder)',
    '  -h, --help  show this help',
  ].join('\n');
}

/** The command's name and its arguments; the global `--cwd DIR` may also come before the name. */
function splitCommand(argv: string[]): { name?: string; rest: string[] } {
  const before: string[] = [];
  let index = 0;
  while (argv[index] === '--cwd' || argv[index]?.startsWith('--cwd=')) {
    const width = argv[index] === '--cwd' ? 2 : 1;
    before.push(...argv.slice(index, index + width));
    index += width;
  }
  return { name: argv[index], rest: [...before, ...argv.slice(index + 1)] };
}

/** Run `statements …argv` and return its exit code; all output goes to `io`. */
export async function main(argv: string[], io: Io): Promise<number> {
  const output = toOutput(io);
  const { name, rest } = splitCommand(argv);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    output.log(mainHelp());
    return name ? 0 : 1;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    output.error(`Unknown command \`${name}\`, expected one of ${commands.map((c) => `\`${c.name}\``).join(', ')}\n\n${mainHelp()}`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...global, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    output.error(`${(error as Error).message}\n\n${commandHelp(command)}`);
    return 1;
  }
  if (parsed.values.help) {
    output.log(commandHelp(command));
    return 0;
  }
  const root = path.resolve(io.cwd ?? process.cwd(), typeof parsed.values.cwd === 'string' ? parsed.values.cwd : '.');
  try {
    const config = await loadConfig(root);
    return await command.run(config, parsed.values, parsed.positionals, output);
  } catch (error) {
    if (error instanceof PipelineError) {
      output.error(formatReport(error.files, root));
      return 1;
    }
    return internalError(error, io, root);
  }
}

/**
 * The last resort for what the library did not expect: one line (a
 * file-system error names its file) and exit code 2, never a stack trace.
 * `bin/statements.js` also calls it for what escapes the command's promise.
 */
export function internalError(error: unknown, io: Io, root = io.cwd ?? process.cwd()): number {
  const reason = explainIoError(error, root) ?? (error instanceof Error ? error.message : String(error));
  io.stderr.write(`statements: internal error: ${reason}\n`);
  return 2;
}
