/**
 * What every command of the CLI looks like: its help, its options, and a run
 * function that calls the library and returns the exit code.
 */
import type { ParseArgsConfig } from 'node:util';
import type { ResolvedConfig } from '../../pipeline/config.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** One line per option, shown by `--help`. */
  help: string[];
  options: OptionSpec;
  run(config: ResolvedConfig, values: Record<string, unknown>, positionals: string[]): Promise<number>;
}
