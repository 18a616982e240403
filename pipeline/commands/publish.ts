/**
 * `statements publish`: build, check, then publish the site to an
 * S3-compatible bucket or a local folder (`public/` by default).
 *
 * read the target (previous manifest, listing when needed) → check → review
 * (with `requireReviewed`) → readiness: a version (statement × locale) with an
 * error or unreviewed segments is withheld, errors on no statement's files
 * stop everything unless `force` → build the ready versions (the build
 * withholds those it cannot build or that are not translated enough) → scan
 * the built site (unpublished locales such as the pseudo-locale left out) →
 * plan, keeping what withheld versions published earlier → upload in phases
 * → delete (`--delete`) → manifest. A dry run stops after the plan.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Diagnostics } from '../diagnostics.ts';
import { findStatements, type StatementEntry } from '../project/index.ts';
import { buildProject } from './build.ts';
import { checkProject } from './check.ts';
import { applySeverities } from '../check/index.ts';
import { unreviewed } from './review.ts';
import { locateFixes, withholdErrors, withholdUnreviewed, type Withholdings } from './readiness.ts';
import { isPublished } from '../translation/index.ts';
import {
  currentKey,
  type ExecuteOptions,
  executePlan,
  type ExecuteResult,
  isRetryable,
  listFiles,
  MANIFEST_KEY,
  openTarget,
  parseManifest,
  planPublish,
  PublishError,
  type PublishOverrides,
  type PublishPlan,
  type PublishSettings,
  type RemoteState,
  resolvePublishSettings,
  type RetryOptions,
  scanSite,
  type SiteObject,
  type Target,
  withRetry,
} from '../publish/index.ts';
import { linkPath, pagePath, SiteManifest } from '../render/index.ts';
import type { LinkStyle, ResolvedConfig } from '../config.ts';
import type { Locale, Version, VersionDates } from '../types.ts';

export type PublishStage = 'target' | 'build' | 'check' | 'review' | 'scan' | 'upload';

export interface PublishOptions extends Pick<ExecuteOptions, 'onProgress' | 'onRetry'> {
  /** Only these statements; the others stay on the target as they are. Default all. */
  slugs?: string[];
  /** Flags; they win over `STATEMENTS_PUBLISH_*` and the config file. */
  overrides?: PublishOverrides;
  /** Print the plan, touch nothing on the target. */
  dryRun?: boolean;
  /**
   * Publish every version that can be built, whatever the checks, the review
   * state and the share translated; recorded in the manifest.
   */
  force?: boolean;
  /** Warnings count as errors. Default `config.strict`. */
  strict?: boolean;
  /** Run the build first. Default true (benchmarks time the publish alone). */
  build?: boolean;
  /** Run the checks first. Default true. */
  check?: boolean;
  /** Unreviewed translations stop the publish like check errors. Default `config.translation.requireReviewed`. */
  requireReviewed?: boolean;
  /** Retry timing, for tests and benchmarks; the number of retries comes from the settings. */
  retry?: Partial<RetryOptions>;
  /** Environment for `STATEMENTS_PUBLISH_*`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The UTC day a version first published or changed now is dated, `YYYY-MM-DD`. Default today. */
  today?: string;
  /** Called as each stage starts, for progress output. */
  onStage?: (stage: PublishStage) => void;
}

/** The public URL of a statement in one language. */
export interface StatementUrl {
  slug: string;
  locale: Locale;
  url: string;
}

export interface PublishReport {
  /** Printable target, never credentials. */
  target: string;
  settings: PublishSettings;
  /** Findings of the build and the checks, without repeats. */
  diagnostics: Diagnostics;
  /**
   * `unreviewed`: segments not yet reviewed, counted only with
   * `requireReviewed` (each is also an error); `stopped`: errors on no
   * statement's files (the config, the interface strings) stopped everything.
   */
  gate: { errors: number; warnings: number; unreviewed?: number; forced: boolean; stopped: boolean };
  /** Every version of the statements published: published, or withheld with why and where to fix it. */
  versions: Version[];
  plan?: PublishPlan;
  /** Files in the build folder that belong to no current statement or locale: not published. */
  leftovers: string[];
  /** Files of locales built for previewing only (the pseudo-locale without `publishPseudo`): not published. */
  unpublished: string[];
  /** Undefined on a dry run or when the gate stopped the publish. */
  result?: ExecuteResult;
  /** The site's front door, the language chooser, named as `site.links` says. */
  home: string;
  urls: StatementUrl[];
}

/**
 * Publish the project. Bad configuration and failed uploads throw a
 * PublishError (one sentence, what to fix); findings are returned.
 */
export async function publishProject(config: ResolvedConfig, options: PublishOptions = {}): Promise<PublishReport> {
  const resolved = resolvePublishSettings(config, options.overrides, options.env);
  const settings = { ...resolved, retry: { ...resolved.retry, ...options.retry } };
  const strict = options.strict ?? config.strict;
  // A dry run keeps the copy of the bucket's manifest too: it is used only while the bucket's ETag matches it.
  const target = await openTarget(settings.target, { ...settings, cacheDir: config.cacheDir });
  try {
    // Read the target first: a wrong bucket or credentials fail in a second, not after the build.
    options.onStage?.('target');
    const remote = await readRemote(target, settings);
    const diagnostics = new Diagnostics(config.root);
    const entries = await findStatements(config, new Diagnostics(config.root), options.slugs);
    if (options.check !== false) {
      options.onStage?.('check');
      mergeDiagnostics(diagnostics, (await checkProject(config, { strict, slugs: options.slugs })).diagnostics);
    }
    let review: number | undefined;
    const withhold: Withholdings = new Map();
    if (options.requireReviewed ?? config.translation.requireReviewed) {
      options.onStage?.('review');
      const found = await unreviewed(config, options.slugs);
      mergeDiagnostics(diagnostics, found.diagnostics);
      withholdUnreviewed(found.segments, withhold);
      review = found.segments.length;
    }
    // Severity: `checks.rules` and `strict` decide it for every finding, as in build and check.
    applySeverities(diagnostics, config.checks, strict);
    const project = withholdErrors(diagnostics, config, entries, withhold);
    // `force` publishes whatever can be built: the build alone withholds, only what it cannot build.
    if (options.force) withhold.clear();
    const report: PublishReport = {
      target: target.description,
      settings,
      diagnostics,
      gate: { errors: 0, warnings: 0, forced: false, stopped: project > 0 && !options.force },
      home: target.baseUrl + linkPath('', config.site.links),
      versions: [],
      urls: [],
      leftovers: [],
      unpublished: [],
    };
    if (options.build !== false && !report.gate.stopped) {
      options.onStage?.('build');
      const minTranslated = options.force ? 0 : config.translation.minTranslated;
      // Versions are dated against what this target holds: its manifest's record of each.
      const built = await buildProject(
        { ...config, strict },
        { slugs: options.slugs, withhold, minTranslated, published: remote.manifest?.versions ?? {}, today: options.today },
      );
      mergeDiagnostics(diagnostics, built.diagnostics);
      report.versions = built.versions.filter((version) => isPublished(config, version.locale));
      locateFixes(report.versions, diagnostics, config, entries);
    }
    const { errors, warnings } = diagnostics.count();
    report.gate = { ...report.gate, errors, warnings, ...(review === undefined ? {} : { unreviewed: review }), forced: Boolean(options.force) && errors > 0 };
    const { forced } = report.gate;
    if (report.gate.stopped) return report;

    options.onStage?.('scan');
    // Revisions of the statements published now. Every statement of the project is current: a named publish leaves
    // the others' files as they are online (`keep`, `retain`), and does not count them as leftovers.
    const revisions = sourceRevisions(entries);
    const statements = new Set((options.slugs?.length ? await findStatements(config, new Diagnostics(config.root)) : entries).map((entry) => entry.slug));
    const published = config.locales.filter((locale) => isPublished(config, locale));
    const named = options.slugs?.length ? new Set(options.slugs) : undefined;
    const statementOf = (key: string) => (key.split('/').length >= 3 ? key.split('/')[1] : undefined);
    const keep = (key: string) =>
      key !== MANIFEST_KEY && currentKey(key, statements, published) && (!named || !statementOf(key) || named.has(statementOf(key)!));
    const preview = (key: string) => config.locales.includes(key.split('/')[0]!) && !published.includes(key.split('/')[0]!);
    const keys = await listFiles(config.outDir);
    for (const key of keys) {
      if (key === MANIFEST_KEY || keep(key) || currentKey(key, statements, published)) continue;
      (preview(key) ? report.unpublished : report.leftovers).push(key);
    }
    const site = await scanSite(config.outDir, { revisions, keep, keys, memoFile: path.join(config.cacheDir, 'publish-hashes.json') });
    if (site.length === 0) throw new PublishError(`Nothing to publish: \`${config.outDir}\` is empty; run \`statements build\` and check its messages`);
    // A withheld version's earlier files, and the statements a named publish leaves out, stay as they are.
    const withheld = new Set(report.versions.filter((version) => version.withheld).map((version) => `${version.locale}/${version.slug}`));
    const retain = (key: string) => {
      const slug = statementOf(key);
      return slug !== undefined && (withheld.has(`${key.split('/')[0]}/${slug}`) || (named !== undefined && !named.has(slug)));
    };
    const siteManifest = await SiteManifest.open(config.cacheDir, config.root);
    const versions = publishedDates(siteManifest, site, remote.manifest?.versions);
    report.plan = planPublish(site, remote, {
      delete: settings.delete,
      retain,
      forced,
      check: { errors, warnings, ...(review === undefined ? {} : { unreviewed: review }) },
      versions,
    });
    report.urls = statementUrls(site, target.baseUrl, config.site.links);
    if (options.dryRun) return report;
    options.onStage?.('upload');
    report.result = await executePlan(report.plan, target, {
      concurrency: settings.concurrency,
      retry: settings.retry,
      onProgress: options.onProgress,
      onRetry: options.onRetry,
    });
    // The next build dates versions against what is online now.
    siteManifest.setPublished(versions);
    await siteManifest.save();
    return report;
  } finally {
    target.close();
  }
}

/**
 * What the target holds: the previous manifest, and a listing of the prefix
 * when there is no manifest or when deleting. A failure here is a
 * configuration problem: nothing has been written yet.
 */
async function readRemote(target: Target, settings: PublishSettings): Promise<RemoteState> {
  const transient = (error: unknown) => isRetryable(error) && !target.isConfigurationError(error);
  try {
    const text = await withRetry(() => target.readManifest(MANIFEST_KEY), settings.retry, undefined, transient);
    const manifest = text === undefined ? undefined : parseManifest(text);
    const listing = manifest === undefined || settings.delete ? await withRetry(() => target.list(), settings.retry, undefined, transient) : undefined;
    return { listing, manifest };
  } catch (error) {
    throw new PublishError(target.explain(error));
  }
}

/** sha256 of each statement file: the source revision recorded on its objects. */
function sourceRevisions(entries: StatementEntry[]): Map<string, string> {
  // The bytes as they are: a statement the build refused (too large, not UTF-8) is left out, never a reason to stop.
  // Read synchronously: a thousand small files, several times faster than through the thread pool.
  const hash = (file: string) => {
    try {
      return createHash('sha256').update(readFileSync(file)).digest('hex');
    } catch {
      return undefined;
    }
  };
  return new Map(
    entries.flatMap((entry) => {
      const revision = hash(entry.file);
      return revision === undefined ? [] : [[entry.slug, revision] as const];
    }),
  );
}

/** Each statement's page per language, named as `links` says, or its first file when there is no page. */
export function statementUrls(site: SiteObject[], baseUrl: string, links: LinkStyle): StatementUrl[] {
  const urls = new Map<string, StatementUrl>();
  for (const object of site) {
    if (!object.slug || !object.locale) continue;
    const id = `${object.locale}/${object.slug}`;
    const page = object.key === `${id}/index.html`;
    if (urls.has(id) && !page) continue;
    const key = page ? linkPath(`${id}/`, links) : object.key;
    urls.set(id, { slug: object.slug, locale: object.locale, url: baseUrl + key.split('/').map(encodeURIComponent).join('/') });
  }
  return [...urls.values()].sort((a, b) => a.slug.localeCompare(b.slug) || a.locale.localeCompare(b.locale));
}

/**
 * The dates of every version on the target after this publish: those built
 * now for the pages it publishes, the earlier record for the rest (withheld
 * versions and statements left out stay online as they were).
 */
function publishedDates(manifest: SiteManifest, site: SiteObject[], previous: Record<string, VersionDates> = {}): Record<string, VersionDates> {
  const pages = new Set(site.map((object) => object.key));
  const dates = { ...previous };
  for (const entry of manifest.entries()) {
    if (entry.dates && pages.has(`${pagePath(entry.locale, entry.slug)}index.html`)) dates[`${entry.locale}/${entry.slug}`] = entry.dates;
  }
  return dates;
}

/** Add the messages of `from` to `into`, leaving out those already there (build and check both see missing translations). */
function mergeDiagnostics(into: Diagnostics, from: Diagnostics): void {
  for (const file of from.files) {
    const target = into.file(file.path);
    const seen = new Set(target.messages.map(messageId));
    for (const message of file.messages) {
      if (seen.has(messageId(message))) continue;
      seen.add(messageId(message));
      target.messages.push(message);
    }
  }
}

const messageId = (message: { line?: number | null; column?: number | null; ruleId?: string | null; reason: string }) =>
  `${message.line ?? 0}:${message.column ?? 0}:${message.ruleId ?? ''}:${message.reason}`;
