import { RULES, type RuleId } from '../../pipeline/check/settings.ts';
import { finish, statementTable } from './output.ts';
import { tallyStatements } from '../../pipeline/commands/readiness.ts';
import type { CommandSpec } from './command.ts';

export const check: CommandSpec = {
  name: 'check',
  summary: 'Check contacts, links and translations of every statement in every locale',
  usage: 'statements check [slug…] [--strict] [--online] [--quiet] [--json] [--rules]',
  help: [
    '--strict    warnings are errors (placeholder links, missing or stale translations…)',
    '--online    probe external links and mail domains (cached in .cache/links.json)',
    '--quiet     errors only',
    '--json      machine-readable findings on stdout',
    '--rules     list the rules with their severity (set them in `checks.rules` of the config)',
  ],
  options: { strict: { type: 'boolean' }, online: { type: 'boolean' }, quiet: { type: 'boolean' }, json: { type: 'boolean' }, rules: { type: 'boolean' } },
  async run(config, values, slugs, output) {
    const { checkProject } = await import('../../pipeline/commands/check.ts');
    if (values.rules) {
      const rules = Object.keys(RULES) as RuleId[];
      const width = Math.max(...rules.map((rule) => rule.length));
      for (const rule of rules) output.log(`${rule.padEnd(width)}  ${(config.checks.rules[rule] ?? RULES[rule].severity).padEnd(7)}  ${RULES[rule].about}`);
      return 0;
    }
    const strict = Boolean(values.strict) || config.strict;
    const report = await checkProject(config, { slugs, strict, online: Boolean(values.online) });
    const quiet = Boolean(values.quiet);
    if (!values.json && report.errors + report.warnings === 0) output.log('No problems found');
    const code = finish(output, report.diagnostics, {
      strict,
      quiet,
      json: Boolean(values.json),
      result: { errors: report.errors, warnings: report.warnings, versions: report.versions },
    });
    if (!values.json) statementTable(output, tallyStatements(report.diagnostics, config, report.versions), quiet);
    return code;
  },
};
