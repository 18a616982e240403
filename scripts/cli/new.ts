import path from 'node:path';
import type { CommandSpec } from './command.ts';

export const newCommand: CommandSpec = {
  name: 'new',
  summary: 'Start a statement: write statements/<slug>.md with every front-matter field and a short guide in comments',
  usage: 'statements new <slug>',
  help: ['<slug>      the file name and URL: lowercase letters, digits and dashes, e.g. port-expansion'],
  options: {},
  async run(config, _values, positionals, output) {
    const { newStatement } = await import('../../pipeline/commands/new.ts');
    if (positionals.length !== 1) {
      output.error(`✖ Expected one slug, e.g. \`statements new port-expansion\`, got ${positionals.length}`);
      return 1;
    }
    const result = await newStatement(config, positionals[0]!);
    if ('problem' in result) {
      output.error(`✖ ${result.problem}`);
      return 1;
    }
    output.log(`Wrote ${path.relative(config.root, result.file)}: fill in the front matter and the text, then run \`statements extract\``);
    return 0;
  },
};
