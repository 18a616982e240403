/**
 * What every command of the CLI looks like: its help, its options, and a run
 * function that calls the library and returns the exit code.
 */
import type { ParseArgsConfig } from 'node:util';
import type { ResolvedConfig } from '../../pipeline/config.ts';
import type { Output } from './output.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  /** One line per option, shown by `--help`. */
  help: string[];
  options: OptionSpec;
  /**
   * Writes only through `output`, so the tests can run it in their own
   * process. It imports its library modules itself, when it runs: `--help`
   * and the other commands do not pay for loading them.
   */
  run(config: ResolvedConfig, values: Record<string, unknown>, positionals: string[], output: Output): Promise<number>;
}
