import { checkProject } from '../../pipeline/commands/check.ts';
import { RULES, type RuleId } from '../../pipeline/check/settings.ts';
import { finish } from './output.ts';
import type { CommandSpec } from './command.ts';

export const check: CommandSpec = {
  name: 'check',
  summary: 'Check contacts, links and translations of every statement in every locale',
  usage: 'statements check [slug…] [--strict] [--online] [--json] [--rules]',
  help: [
    '--strict    warnings are errors (placeholder links, missing or stale translations…)',
    '--online    probe external links and mail domains (cached in .cache/links.json)',
    '--json      machine-readable findings on stdout',
    '--rules     list the rules with their severity (set them in `checks.rules` of the config)',
  ],
  options: { strict: { type: 'boolean' }, online: { type: 'boolean' }, json: { type: 'boolean' }, rules: { type: 'boolean' } },
  async run(config, values, slugs, output) {
    if (values.rules) {
      const rules = Object.keys(RULES) as RuleId[];
      const width = Math.max(...rules.map((rule) => rule.length));
      for (const rule of rules) output.log(`${rule.padEnd(width)}  ${(config.checks.rules[rule] ?? RULES[rule].severity).padEnd(7)}  ${RULES[rule].about}`);
      return 0;
    }
    const strict = Boolean(values.strict) || config.strict;
    const report = await checkProject(config, { slugs, strict, online: Boolean(values.online) });
    if (!values.json && report.errors + report.warnings === 0) output.log('No problems found');
    return finish(output, report.diagnostics, { strict, json: Boolean(values.json), result: { errors: report.errors, warnings: report.warnings } });
  },
};
