/**
 * The `statements` CLI: parses arguments, resolves the config, and calls the
 * library. Exit codes are decided here and nowhere else.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { loadConfig } from '../pipeline/config.ts';
import { PipelineError, formatReport } from '../pipeline/diagnostics.ts';
import { explainIoError } from '../pipeline/project/fs.ts';
import type { CommandSpec } from './cli/command.ts';
import { extract } from './cli/extract.ts';
import { build } from './cli/build.ts';
import { status } from './cli/status.ts';
import { publish } from './cli/publish.ts';
import { check } from './cli/check.ts';
import { xliff } from './cli/xliff.ts';

const commands: CommandSpec[] = [extract, build, status, check, publish, xliff];

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
  return [`Usage: ${command.usage}`, '', command.summary, '', 'Options:', ...command.help.map((line) => `  ${line}`), '  --cwd DIR   the project folder (default: the current folder)', '  -h, --help  show this help'].join('\n');
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

async function main(argv: string[]): Promise<number> {
  const { name, rest } = splitCommand(argv);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(mainHelp());
    return name ? 0 : 1;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    console.error(`Unknown command \`${name}\`, expected one of ${commands.map((c) => `\`${c.name}\``).join(', ')}\n\n${mainHelp()}`);
    return 1;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...global, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${commandHelp(command)}`);
    return 1;
  }
  if (parsed.values.help) {
    console.log(commandHelp(command));
    return 0;
  }
  const root = path.resolve(typeof parsed.values.cwd === 'string' ? parsed.values.cwd : process.cwd());
  try {
    const config = await loadConfig(root);
    return await command.run(config, parsed.values, parsed.positionals);
  } catch (error) {
    if (error instanceof PipelineError) {
      console.error(formatReport(error.files, root));
      return 1;
    }
    return internalError(error, root);
  }
}

/**
 * The last resort for what the library did not expect: one line (a
 * file-system error names its file) and exit code 2, never a stack trace.
 */
function internalError(error: unknown, root = process.cwd()): number {
  const reason = explainIoError(error, root) ?? (error instanceof Error ? error.message : String(error));
  console.error(`statements: internal error: ${reason}`);
  return 2;
}

// Also for what escapes the command's promise (a stream's error event, a promise nobody awaited).
process.on('uncaughtException', (error) => process.exit(internalError(error)));
process.on('unhandledRejection', (error) => process.exit(internalError(error)));

// `statements status | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv.slice(2));
