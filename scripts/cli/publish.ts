import type { PublishReport, PublishStage } from '../../pipeline/commands/publish.ts';
import { PublishError } from '../../pipeline/publish/errors.ts';
import type { ProgressEvent } from '../../pipeline/publish/execute.ts';
import type { PublishOverrides } from '../../pipeline/publish/settings.ts';
import { finish, statementTable, table, type Output } from './output.ts';
import { tallyStatements, withheldForErrors } from '../../pipeline/commands/readiness.ts';
import type { CommandSpec } from './command.ts';

/** Objects listed by a dry run on a terminal; `--json` lists all. */
const LISTED = 100;

const STAGES: Record<PublishStage, string> = {
  target: 'reading the target',
  build: 'building',
  check: 'checking',
  review: 'checking review state',
  scan: 'hashing the built site',
  upload: 'uploading',
};

export const publish: CommandSpec = {
  name: 'publish',
  summary: 'Build, check and publish the site to S3-compatible storage (or to public/ when no bucket is configured)',
  usage:
    'statements publish [slug…] [--target s3://bucket/prefix | DIR] [--endpoint URL] [--region R] [--path-style] [--dry-run] [--delete] [--concurrency N] [--require-reviewed] [--force] [--strict] [--quiet] [--json]',
  help: [
    '--target T        `s3://bucket/prefix` or a folder (default `public`; env STATEMENTS_PUBLISH_TARGET)',
    '--endpoint URL    S3-compatible endpoint, e.g. https://s3.fr-par.scw.cloud (env STATEMENTS_PUBLISH_ENDPOINT)',
    '--region R        bucket region (env STATEMENTS_PUBLISH_REGION, else AWS_REGION)',
    '--path-style      path-style addressing, for MinIO and most self-hosted stores',
    '--public-url URL  where the prefix is served from, for the summary (default site.baseUrl)',
    '--dry-run         print the plan (uploads, unchanged, deletions, bytes); touch nothing',
    '--delete          remove objects an earlier publish wrote (its manifest lists them) that the build no longer produces',
    '--concurrency N   uploads in flight (default 8)',
    '--require-reviewed  withhold versions with translations not yet reviewed (default translation.requireReviewed)',
    '--force           publish every version that can be built, despite errors, missing translations or review (recorded in the manifest)',
    '--strict          warnings count as errors, and any withheld version exits 1',
    '--quiet           errors and withheld versions only',
    '--json            machine-readable result on stdout',
    'Credentials come from the AWS SDK chain only: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or an instance/container role.',
  ],
  options: {
    target: { type: 'string' },
    endpoint: { type: 'string' },
    region: { type: 'string' },
    'path-style': { type: 'boolean' },
    'public-url': { type: 'string' },
    'dry-run': { type: 'boolean' },
    delete: { type: 'boolean' },
    concurrency: { type: 'string' },
    force: { type: 'boolean' },
    'require-reviewed': { type: 'boolean' },
    strict: { type: 'boolean' },
    quiet: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(config, values, slugs, output) {
    const { publishProject } = await import('../../pipeline/commands/publish.ts');
    const json = Boolean(values.json);
    const quiet = Boolean(values.quiet);
    const started = performance.now();
    const overrides: PublishOverrides = {
      target: values.target as string | undefined,
      endpoint: values.endpoint as string | undefined,
      region: values.region as string | undefined,
      pathStyle: values['path-style'] ? true : undefined,
      publicUrl: values['public-url'] as string | undefined,
      delete: values.delete ? true : undefined,
      concurrency:
        values.concurrency === undefined
          ? undefined
          : /^\d+$/.test(String(values.concurrency))
            ? Number(values.concurrency)
            : (values.concurrency as unknown as number),
    };
    const strict = Boolean(values.strict) || config.strict;
    let report: PublishReport;
    try {
      report = await publishProject(config, {
        slugs,
        overrides,
        strict,
        dryRun: Boolean(values['dry-run']),
        force: Boolean(values.force),
        requireReviewed: values['require-reviewed'] ? true : undefined,
        env: output.env,
        onStage: json || quiet ? undefined : (stage) => output.error(`${STAGES[stage]}…`),
        onProgress: json || quiet ? undefined : transferProgress(output),
      });
    } catch (error) {
      if (!(error instanceof PublishError)) throw error;
      if (json) output.log(JSON.stringify({ error: error.message, failed: error.failed }, null, 2));
      else output.error(`✖ ${error.message}`);
      return 1;
    }
    const seconds = (performance.now() - started) / 1000;
    const { gate, plan, result } = report;
    const summary = {
      target: report.target,
      dryRun: Boolean(values['dry-run']),
      gate,
      plan: plan && {
        uploads: plan.uploads.map((upload) => ({ key: upload.object.key, reason: upload.reason, bytes: upload.object.size })),
        unchanged: plan.unchanged.length,
        deletions: plan.deletions,
        notes: plan.notes,
        bytes: plan.bytes,
      },
      result: result && {
        uploaded: result.uploaded.length,
        deleted: result.deleted.length,
        manifest: result.manifestWritten,
        retries: result.retries,
        bytes: result.bytes,
      },
      seconds: Number(seconds.toFixed(2)),
      home: report.home,
      urls: report.urls,
      versions: report.versions,
      leftovers: report.leftovers,
      unpublished: report.unpublished,
    };
    finish(output, report.diagnostics, { strict, quiet, json, result: summary });
    if (gate.stopped) {
      if (!json) output.error(`✖ Not published: ${gateFindings(gate)} outside any statement; fix them, or publish anyway with --force`);
      return 1;
    }
    const withheld = report.versions.filter((version) => version.withheld);
    if (!json) {
      if (gate.forced) output.error(`⚠ Published with --force despite ${gateFindings(gate).replace(/^the checks found /, '')}; the manifest records it`);
      if (!quiet) printPlan(output, report, seconds, Boolean(values['dry-run']));
      printVersions(output, report, Boolean(values['dry-run']), quiet);
      statementTable(output, tallyStatements(report.diagnostics, config, report.versions), quiet);
    }
    // Unfinished translations are the normal state of work; errors are not, and with --strict nothing may be left out.
    return withheldForErrors(withheld) || (strict && withheld.length > 0) ? 1 : 0;
  },
};

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** `the checks found 2 errors (1 unreviewed translation)`. */
function gateFindings(gate: PublishReport['gate']): string {
  const review = gate.unreviewed ? ` (${plural(gate.unreviewed, 'unreviewed translation')})` : '';
  return `the checks found ${plural(gate.errors, 'error')}${review}`;
}

/** What the plan did (or would do): notes, leftovers, the uploads of a dry run, the totals and the site's front door. */
function printPlan(output: Output, report: PublishReport, seconds: number, dryRun: boolean): void {
  const plan = report.plan!;
  for (const note of plan.notes) output.error(`⚠ ${note}`);
  if (report.leftovers.length > 0) {
    output.log(
      `Left out ${report.leftovers.length} file${report.leftovers.length === 1 ? '' : 's'} of removed statements or locales in the build folder: ${report.leftovers.slice(0, 5).join(', ')}${report.leftovers.length > 5 ? ', …' : ''}`,
    );
  }
  if (report.unpublished.length > 0) {
    const locales = [...new Set(report.unpublished.map((key) => key.split('/')[0]))];
    output.log(
      `Left out ${plural(report.unpublished.length, 'file')} of ${locales.join(', ')}, built for previewing only (set translation.publishPseudo to publish them)`,
    );
  }
  if (dryRun) {
    output.log(`Dry run: nothing was written to ${report.target}`);
    const more = (count: number) => (count > LISTED ? `\n… and ${count - LISTED} more (--json lists all)` : '');
    if (plan.uploads.length > 0)
      output.log(
        table(
          ['would upload', 'reason', 'bytes'],
          plan.uploads.slice(0, LISTED).map((upload) => [upload.object.key, upload.reason, upload.object.size]),
        ) + more(plan.uploads.length),
      );
    if (plan.deletions.length > 0)
      output.log(
        table(
          ['would delete'],
          plan.deletions.slice(0, LISTED).map((key) => [key]),
        ) + more(plan.deletions.length),
      );
  }
  const result = report.result;
  const rows: Array<Array<string | number>> = [
    [dryRun ? 'to upload' : 'uploaded', result ? result.uploaded.length : plan.uploads.length],
    ['unchanged', plan.unchanged.length],
    [dryRun ? 'to delete' : 'deleted', result ? result.deleted.length : plan.deletions.length],
    ['bytes', formatBytes(result ? result.bytes : plan.bytes)],
  ];
  if (result) rows.push(['retries', result.retries], ['manifest', result.manifestWritten ? 'written' : 'unchanged']);
  rows.push(['time', `${seconds.toFixed(2)} s`]);
  output.log(table(['publish', report.target], rows));
  output.log(`\nsite  ${report.home}`);
}

/** Every version, published with its URL or withheld with why and where to fix it (`quiet`: the withheld only). */
function printVersions(output: Output, report: PublishReport, dryRun: boolean, quiet: boolean): void {
  const urls = new Map(report.urls.map((url) => [`${url.slug}/${url.locale}`, url.url]));
  const versions = report.versions
    .filter((version) => !quiet || version.withheld)
    .map((version) => [
      version.slug,
      version.locale,
      version.withheld ? `withheld: ${version.withheld.detail}` : dryRun ? 'to publish' : 'published',
      version.withheld ? `fix: ${version.fix}` : (urls.get(`${version.slug}/${version.locale}`) ?? ''),
    ]);
  if (versions.length > 0) output.log(`\n${table(['statement', 'language', 'version', 'url or where to fix'], versions, 4)}`);
  const withheld = report.versions.filter((version) => version.withheld);
  if (withheld.length > 0) {
    const untranslated = withheld.filter((version) => version.withheld!.reason === 'untranslated').length;
    const wrong = withheld.length - untranslated;
    const parts = [wrong > 0 ? `${wrong} for errors or review` : '', untranslated > 0 ? `${untranslated} not translated yet` : ''].filter(Boolean);
    output.error(
      `${wrong > 0 ? '✖' : '⚠'} Withheld ${plural(withheld.length, 'version')} (${parts.join(', ')}): not published, earlier published files of them left as they were`,
    );
  }
}

/** `1.2 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A bar with counts and bytes on a terminal; a plain line per tenth in CI. */
function transferProgress(output: Output): (event: ProgressEvent) => void {
  let lastPlain = 0;
  return (event) => {
    const bytes = `${formatBytes(event.bytes)}/${formatBytes(event.totalBytes)}`;
    if (output.interactive) {
      const width = 24;
      const filled = event.total ? Math.round((event.done / event.total) * width) : width;
      output.stderr.write(
        `\rpublish [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${event.done}/${event.total} ${bytes}\u001b[K${event.done >= event.total ? '\n' : ''}`,
      );
    } else if (event.done === event.total || event.done - lastPlain >= Math.max(1, Math.ceil(event.total / 10))) {
      lastPlain = event.done;
      output.error(`publish: ${event.done}/${event.total} objects, ${bytes} (${event.phase})`);
    }
  };
}
