import { finish, progress, statementTable } from './output.ts';
import { tallyStatements } from '../../pipeline/commands/readiness.ts';
import type { CommandSpec } from './command.ts';

export const build: CommandSpec = {
  name: 'build',
  summary: 'Reassemble and render every statement in every locale (web page, PDF, Markdown) and write the site to dist/',
  usage: 'statements build [slug…] [--force] [--strict] [--quiet] [--json]',
  help: [
    '--force     rebuild everything, ignoring the cache',
    '--strict    missing or stale translations are errors',
    '--quiet     errors only',
    '--json      machine-readable result on stdout',
  ],
  options: { force: { type: 'boolean' }, strict: { type: 'boolean' }, quiet: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(config, values, slugs, output) {
    const { buildProject } = await import('../../pipeline/commands/build.ts');
    const started = performance.now();
    const strict = Boolean(values.strict) || config.strict;
    const report = await buildProject(
      { ...config, strict },
      { slugs, force: Boolean(values.force), onDocument: values.json || values.quiet ? undefined : progress(output, 'build') },
    );
    const { errors, warnings } = report.diagnostics.count();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const quiet = Boolean(values.quiet);
    // The documents that could not be built, by name: `broken in fr`.
    const failed = report.versions.filter((version) => version.withheld).map((version) => `${version.slug} in ${version.locale}`);
    if (!values.json && !quiet) {
      output.log(
        `${report.documents.length} documents built, ${report.unchanged} unchanged, ${report.failed} failed${failed.length > 0 ? ` (${failed.join(', ')})` : ''}, ${report.site.length} site pages, ${errors} errors, ${warnings} warnings in ${seconds} s`,
      );
      output.log(`site  ${report.home}`);
    }
    const code = finish(output, report.diagnostics, {
      strict,
      quiet,
      json: Boolean(values.json),
      result: {
        documents: report.documents,
        versions: report.versions,
        unchanged: report.unchanged,
        failed: report.failed,
        site: report.site,
        home: report.home,
      },
    });
    if (!values.json) statementTable(output, tallyStatements(report.diagnostics, config, report.versions), quiet);
    return code;
  },
};
