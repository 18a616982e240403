import path from 'node:path';
import { finish, table } from './output.ts';
import type { CommandSpec } from './command.ts';

export const extract: CommandSpec = {
  name: 'extract',
  summary: 'Extract translatable segments from statements into locale bundles',
  usage: 'statements extract [slug…] [--dry-run] [--json]',
  help: ['--dry-run   show what would change, write nothing', '--json      machine-readable result on stdout'],
  options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } },
  async run(config, values, slugs, output) {
    const { extractProject } = await import('../../pipeline/commands/extract.ts');
    const report = await extractProject(config, { slugs, dryRun: Boolean(values['dry-run']) });
    if (!values.json) {
      const rows = report.statements.map((s) => [
        s.slug,
        s.counts.segments,
        s.counts.added,
        s.counts.stale,
        s.counts.obsoleted,
        s.counts.restored,
        s.writes.length,
      ]);
      if (rows.length > 0) output.log(table(['statement', 'segments', 'new', 'stale', 'obsoleted', 'restored', 'files written'], rows));
      for (const write of report.statements.flatMap((s) => s.writes))
        output.log(`${values['dry-run'] ? 'would write' : 'wrote'} ${path.relative(config.root, write.path)}`);
      output.log(`${report.statements.length} extracted, ${report.unchanged} unchanged`);
    }
    const result = {
      statements: report.statements.map((s) => ({ slug: s.slug, ...s.counts, files: s.writes.map((w) => path.relative(config.root, w.path)) })),
      unchanged: report.unchanged,
    };
    return finish(output, report.diagnostics, { json: Boolean(values.json), result });
  },
};
