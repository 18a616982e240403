import path from 'node:path';
import { finish, table } from './output.ts';
import type { CommandSpec } from './command.ts';

export const xliff: CommandSpec = {
  name: 'xliff',
  summary: 'Exchange translations with CAT tools: export and import XLIFF 2.0 / 1.2',
  usage:
    'statements xliff export --locale LNG [slug…] [--version 2.0|1.2] [--out DIR]\n       statements xliff import FILE… [--dry-run] [--approved-means-reviewed] [--json]',
  help: [
    '--locale LNG    export: the target locale, e.g. `nl`',
    '--version V     export: `2.0` (default) or `1.2` for older tools',
    '--out DIR       export: where to write `<slug>.<locale>.xlf` (default: xliff/)',
    '--no-memory     export: leave translation-memory suggestions out of the notes',
    '--dry-run       import: check and report, write nothing',
    '--approved-means-reviewed  import: XLIFF 1.2 `approved="yes"` means reviewed in this tool (default: only `signed-off`/`final`)',
    '--json          machine-readable result on stdout',
  ],
  options: {
    locale: { type: 'string' },
    version: { type: 'string' },
    out: { type: 'string' },
    'no-memory': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    'approved-means-reviewed': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(config, values, positionals, output) {
    const { exportXliff, importXliff } = await import('../../pipeline/commands/xliff.ts');
    const [action, ...rest] = positionals;
    const json = Boolean(values.json);
    if (action === 'export') {
      const version = (values.version as string | undefined) ?? '2.0';
      if (typeof values.locale !== 'string' || (version !== '2.0' && version !== '1.2')) {
        output.error(
          typeof values.locale !== 'string'
            ? 'Missing `--locale`, expected the target locale such as `--locale nl`'
            : `Unexpected \`--version ${version}\`, expected \`2.0\` or \`1.2\``,
        );
        return 1;
      }
      const report = await exportXliff(config, {
        locale: values.locale,
        slugs: rest,
        version,
        outDir: values.out as string | undefined,
        memory: !values['no-memory'],
      });
      if (!json) {
        const rows = report.files.map((file) => [path.relative(config.root, file.path), file.units, file.translated, file.changed ? 'written' : 'unchanged']);
        if (rows.length > 0) output.log(table(['file', 'units', 'translated', ''], rows));
      }
      return finish(output, report.diagnostics, {
        json,
        result: { files: report.files.map((file) => ({ ...file, path: path.relative(config.root, file.path) })) },
      });
    }
    if (action === 'import') {
      if (rest.length === 0) {
        output.error('Missing XLIFF files, expected `statements xliff import FILE…`');
        return 1;
      }
      const report = await importXliff(config, rest, {
        dryRun: Boolean(values['dry-run']),
        approvedMeansReviewed: values['approved-means-reviewed'] ? true : undefined,
      });
      if (!json) {
        const rows = report.files.map((file) => [
          path.relative(config.root, file.path),
          file.locale ?? '',
          file.counts.updated,
          file.counts.unchanged,
          file.counts.stale,
          file.counts.kept,
          file.counts.refused,
        ]);
        output.log(table(['file', 'locale', 'updated', 'unchanged', 'stale', 'kept', 'refused'], rows));
        for (const write of report.files.flatMap((file) => file.writes))
          output.log(`${values['dry-run'] ? 'would write' : 'wrote'} ${path.relative(config.root, write)}`);
      }
      const result = {
        files: report.files.map((file) => ({
          ...file,
          path: path.relative(config.root, file.path),
          writes: file.writes.map((write) => path.relative(config.root, write)),
        })),
      };
      return finish(output, report.diagnostics, { json, result });
    }
    output.error(`Unexpected ${action ? `\`${action}\`` : 'nothing'} after \`xliff\`, expected \`export\` or \`import\``);
    return 1;
  },
};
