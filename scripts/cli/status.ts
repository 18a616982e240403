import { statusProject } from '../../pipeline/commands/status.ts';
import { finish, table } from './output.ts';
import type { CommandSpec } from './command.ts';

export const status: CommandSpec = {
  name: 'status',
  summary: 'Show translated, missing, stale and obsolete counts per statement and locale',
  usage: 'statements status [slug…] [--json] [--require-complete]',
  help: ['--json               machine-readable result on stdout', '--require-complete   exit 1 when a target locale is incomplete'],
  options: { json: { type: 'boolean' }, 'require-complete': { type: 'boolean' } },
  async run(config, values, slugs) {
    const report = await statusProject(config, { slugs });
    if (!values.json) {
      const rows = report.rows.map((r) => [r.slug, r.locale, r.translated, r.missing, r.stale, r.obsolete, `${r.percent}%`]);
      console.log(table(['statement', 'locale', 'translated', 'missing', 'stale', 'obsolete', 'complete'], rows));
    }
    const code = finish(report.diagnostics, { json: Boolean(values.json), result: { statements: report.rows } });
    const incomplete = report.rows.filter((row) => row.percent < 100);
    if (values['require-complete'] && incomplete.length > 0) {
      if (!values.json) console.error(`Incomplete: ${incomplete.map((row) => `${row.slug} (${row.locale} ${row.percent}%)`).join(', ')}`);
      return 1;
    }
    return code;
  },
};
