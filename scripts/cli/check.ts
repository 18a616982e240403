import { checkProject } from '../../pipeline/commands/check.ts';
import { finish } from './output.ts';
import type { CommandSpec } from './command.ts';

export const check: CommandSpec = {
  name: 'check',
  summary: 'Check contacts, links and translations of every statement in every locale',
  usage: 'statements check [slug…] [--strict] [--online] [--json]',
  help: [
    '--strict    warnings are errors (placeholder links, missing or stale translations…)',
    '--online    probe external links and mail domains (cached in .cache/links.json)',
    '--json      machine-readable findings on stdout',
  ],
  options: { strict: { type: 'boolean' }, online: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(config, values, slugs) {
    const strict = Boolean(values.strict) || config.strict;
    const report = await checkProject(config, { slugs, strict, online: Boolean(values.online) });
    if (!values.json && report.errors + report.warnings === 0) console.log('No problems found');
    return finish(report.diagnostics, { strict, json: Boolean(values.json), result: { errors: report.errors, warnings: report.warnings } });
  },
};
