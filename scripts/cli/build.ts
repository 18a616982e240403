import { buildProject } from '../../pipeline/commands/build.ts';
import { finish, progress } from './output.ts';
import type { CommandSpec } from './command.ts';

export const build: CommandSpec = {
  name: 'build',
  summary: 'Reassemble and render every statement in every locale (web page, PDF, Markdown) and write the site to dist/',
  usage: 'statements build [slug…] [--force] [--strict] [--json]',
  help: [
    '--force     rebuild everything, ignoring the cache',
    '--strict    missing or stale translations are errors',
    '--json      machine-readable result on stdout',
  ],
  options: { force: { type: 'boolean' }, strict: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(config, values, slugs, output) {
    const started = performance.now();
    const strict = Boolean(values.strict) || config.strict;
    const report = await buildProject(
      { ...config, strict },
      { slugs, force: Boolean(values.force), onDocument: values.json ? undefined : progress(output, 'build') },
    );
    const { errors, warnings } = report.diagnostics.count();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!values.json) {
      output.log(
        `${report.documents.length} documents built, ${report.unchanged} unchanged, ${report.failed} failed, ${report.site.length} site pages, ${errors} errors, ${warnings} warnings in ${seconds} s`,
      );
      output.log(`site  ${report.home}`);
    }
    return finish(output, report.diagnostics, {
      strict,
      json: Boolean(values.json),
      result: { documents: report.documents, unchanged: report.unchanged, failed: report.failed, site: report.site, home: report.home },
    });
  },
};
