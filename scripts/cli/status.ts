import { finish, table } from './output.ts';
import type { CommandSpec } from './command.ts';
import type { LocaleStatus } from '../../pipeline/commands/status.ts';

/** Word counts summed per locale: new, reused (exact memory matches), fuzzy, stale, translated, reviewed. */
function wordsPerLocale(rows: LocaleStatus[]): Array<Array<string | number>> {
  const sums = new Map<string, LocaleStatus['words']>();
  for (const row of rows) {
    const sum = sums.get(row.locale) ?? { total: 0, new: 0, exact: 0, fuzzy: 0, stale: 0, translated: 0, reviewed: 0 };
    for (const field of Object.keys(sum) as Array<keyof typeof sum>) sum[field] += row.words[field];
    sums.set(row.locale, sum);
  }
  return [...sums].map(([locale, w]) => [locale, w.total, w.new, w.exact, w.fuzzy, w.stale, w.translated, w.reviewed]);
}

export const status: CommandSpec = {
  name: 'status',
  summary: 'Show translated, reviewed, missing, stale and obsolete counts and word counts per statement and locale',
  usage: 'statements status [slug…] [--json] [--require-complete]',
  help: ['--json               machine-readable result on stdout', '--require-complete   exit 1 when a target locale is incomplete'],
  options: { json: { type: 'boolean' }, 'require-complete': { type: 'boolean' } },
  async run(config, values, slugs, output) {
    const { statusProject } = await import('../../pipeline/commands/status.ts');
    const report = await statusProject(config, { slugs });
    if (!values.json) {
      const rows = report.rows.map((r) => [
        r.slug,
        r.variant ? `${r.locale} (overrides)` : r.locale,
        r.translated,
        r.reviewed,
        r.toReview,
        r.missing,
        r.stale,
        r.obsolete,
        `${r.percent}%`,
      ]);
      output.log(table(['statement', 'locale', 'translated', 'reviewed', 'to review', 'missing', 'stale', 'obsolete', 'complete'], rows));
      output.log(
        `\nWords per locale (what an agency quote is based on):\n${table(['locale', 'words', 'new', 'reused', 'fuzzy', 'stale', 'translated', 'reviewed'], wordsPerLocale(report.rows))}`,
      );
    }
    const code = finish(output, report.diagnostics, { json: Boolean(values.json), result: { statements: report.rows } });
    const incomplete = report.rows.filter((row) => row.percent < 100);
    if (values['require-complete'] && incomplete.length > 0) {
      if (!values.json) output.error(`Incomplete: ${incomplete.map((row) => `${row.slug} (${row.locale} ${row.percent}%)`).join(', ')}`);
      return 1;
    }
    return code;
  },
};
