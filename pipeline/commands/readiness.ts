/**
 * Readiness of a version (one statement in one locale): it is published only
 * when no error is found on its files, it is translated to
 * `translation.minTranslated` (default: completely), and, when review is
 * required, reviewed. A version that is not ready is withheld: not built, not
 * linked, and its earlier published files left as they are. One place
 * decides, for build, publish and status alike.
 */
import path from 'node:path';
import type { VFile } from 'vfile';
import { type Diagnostics, severityOf } from '../diagnostics.ts';
import { bundlePath, COMMON_NAMESPACE, statePath, type StatementEntry } from '../project/index.ts';
import type { UnreviewedSegment } from './review.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Version, Withheld, WithheldReason } from '../types.ts';

/** Versions withheld so far: slug → locale → why. */
export type Withholdings = Map<string, Map<Locale, Withheld>>;

/** An error outweighs missing translations, which outweigh a missing review: the summary names the weightiest. */
const RANK: Record<WithheldReason, number> = { error: 0, untranslated: 1, unreviewed: 2 };

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Withhold `slug` in `locale`, keeping the weightiest reason. */
export function withhold(into: Withholdings, slug: string, locale: Locale, withheld: Withheld): void {
  const versions = into.get(slug) ?? new Map<Locale, Withheld>();
  into.set(slug, versions);
  const known = versions.get(locale);
  if (!known || RANK[withheld.reason] < RANK[known.reason]) versions.set(locale, withheld);
}

/** Share of `total` segments translated and current, rounded down: 100 only when nothing is open. */
export const translatedPercent = (total: number, open: number) => (total === 0 ? 100 : Math.floor(((total - open) / total) * 100));

/**
 * Why a version with `missing` untranslated and `stale` outdated segments of
 * `total` is not ready, or undefined when enough is translated.
 */
export function untranslated(total: number, missing: number, stale: number, minTranslated: number): Withheld | undefined {
  const open = missing + stale;
  const percent = translatedPercent(total, open);
  if (open === 0 || percent >= minTranslated) return undefined;
  const outdated = stale > 0 ? ` (${stale} stale)` : '';
  return { reason: 'untranslated', detail: `${open} of ${plural(total, 'segment')} not translated${outdated}: ${percent}%, ${minTranslated}% required` };
}

/** Rules whose findings say what withholds a version for each reason. */
const RULES: Record<WithheldReason, (ruleId: string) => boolean> = {
  error: () => true,
  untranslated: (rule) => rule === 'missing-translation' || rule === 'stale-translation',
  unreviewed: (rule) => rule === 'unreviewed-translation',
};

/** Locales whose versions read the bundle of `locale`: itself and those falling back to it. */
function readersOf(config: Pick<ResolvedConfig, 'locales' | 'fallback'>, locale: Locale): Locale[] {
  const falls = (from: Locale, seen: Set<Locale>): boolean =>
    from === locale || (!seen.has(from) && (config.fallback[from] ?? []).some((next) => falls(next, seen.add(from))));
  return config.locales.filter((lng) => falls(lng, new Set()));
}

/** The statement, its state and its bundles: which versions each file is part of. */
function versionFiles(config: ResolvedConfig, entries: StatementEntry[]): Map<string, { slug: string; locales: Locale[] }> {
  const files = new Map<string, { slug: string; locales: Locale[] }>();
  for (const { slug, file } of entries) {
    files.set(path.resolve(file), { slug, locales: config.locales });
    files.set(statePath(config, slug), { slug, locales: config.locales });
    // The source bundle is regenerated from the statement: its problems are the statement's.
    for (const locale of config.locales)
      files.set(bundlePath(config, locale, slug), { slug, locales: locale === config.sourceLocale ? config.locales : readersOf(config, locale) });
  }
  return files;
}

/**
 * Withhold every version with an error finding on one of its files. Returns
 * the errors found on no statement's files (the config, the interface
 * strings): those concern every version.
 */
export function withholdErrors(diagnostics: Diagnostics, config: ResolvedConfig, entries: StatementEntry[], into: Withholdings): number {
  const owners = versionFiles(config, entries);
  let project = 0;
  for (const file of diagnostics.files) {
    // Unreviewed segments are errors too, but withhold for review (`withholdUnreviewed`).
    const errors = file.messages.filter((message) => severityOf(message) === 'error' && !RULES.unreviewed(message.ruleId ?? '')).length;
    if (errors === 0) continue;
    const owner = owners.get(path.resolve(file.path));
    if (!owner) project += errors;
    else for (const locale of owner.locales) withhold(into, owner.slug, locale, { reason: 'error', detail: plural(errors, 'error') });
  }
  return project;
}

/** Withhold the versions that still have segments to review. */
export function withholdUnreviewed(segments: UnreviewedSegment[], into: Withholdings): void {
  const counts = new Map<string, { slug: string; locale: Locale; count: number }>();
  for (const { slug, locale } of segments) {
    const id = `${slug}/${locale}`;
    const known = counts.get(id) ?? { slug, locale, count: 0 };
    known.count++;
    counts.set(id, known);
  }
  for (const { slug, locale, count } of counts.values())
    withhold(into, slug, locale, { reason: 'unreviewed', detail: `${plural(count, 'segment')} not reviewed` });
}

/**
 * Fill in `fix` on withheld versions: the first finding behind the reason
 * (on the locale's bundle, then the statement), or the command that shows
 * what is left to do.
 */
export function locateFixes(versions: Version[], diagnostics: Diagnostics, config: ResolvedConfig, entries: StatementEntry[]): void {
  const statementFile = new Map(entries.map((entry) => [entry.slug, path.resolve(entry.file)]));
  const byPath = new Map(diagnostics.files.map((file) => [path.resolve(file.path), file]));
  for (const version of versions) {
    if (!version.withheld) continue;
    const { reason } = version.withheld;
    const files = [bundlePath(config, version.locale, version.slug), statementFile.get(version.slug), statePath(config, version.slug)];
    const found = files.map((file) => file && firstFinding(byPath.get(file), reason, config.root)).find(Boolean);
    version.fix =
      found ??
      (reason === 'unreviewed'
        ? `statements xliff export --locale ${version.locale} ${version.slug}`
        : reason === 'untranslated'
          ? `statements status ${version.slug}`
          : `statements check ${version.slug}`);
  }
}

/** `locales/nl/x.json:4:3` of the first message on `file` behind `reason`. */
function firstFinding(file: VFile | undefined, reason: WithheldReason, root: string): string | undefined {
  const messages = (file?.messages ?? [])
    .filter((message) => RULES[reason](message.ruleId ?? '') && (reason !== 'error' || severityOf(message) === 'error'))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  const first = messages[0];
  if (!first || !file) return undefined;
  const name = path.relative(root, file.path);
  return first.line ? `${name}:${first.line}:${first.column ?? 1}` : name;
}

/** Whether any version is withheld for a finding that is wrong, not merely unfinished work. */
export const withheldForErrors = (versions: Version[]) => versions.some((version) => version.withheld && version.withheld.reason !== 'untranslated');

/** What one statement came to in a run: its findings and the versions withheld. */
export interface StatementTally {
  slug: string;
  errors: number;
  warnings: number;
  withheld: Locale[];
}

/** The statement a finding's file belongs to: its Markdown, a bundle or its state; none for the config or the interface strings. */
export function statementOfFile(config: Pick<ResolvedConfig, 'statementsDir' | 'localesDir'>, file: string): string | undefined {
  const absolute = path.resolve(file);
  if (absolute.startsWith(config.statementsDir + path.sep) && absolute.endsWith('.md')) return path.basename(absolute, '.md');
  if (!absolute.startsWith(config.localesDir + path.sep) || !absolute.endsWith('.json')) return undefined;
  const slug = path.basename(absolute, '.json');
  return slug === COMMON_NAMESPACE ? undefined : slug;
}

/** Per statement with something to look at (errors, warnings, withheld versions), by slug: the table `check`, `build` and `publish` end with. */
export function tallyStatements(diagnostics: Diagnostics, config: ResolvedConfig, versions: Version[] = []): StatementTally[] {
  const tallies = new Map<string, StatementTally>();
  const of = (slug: string) => tallies.get(slug) ?? tallies.set(slug, { slug, errors: 0, warnings: 0, withheld: [] }).get(slug)!;
  for (const file of diagnostics.files) {
    const slug = statementOfFile(config, file.path);
    if (slug === undefined) continue;
    for (const message of file.messages) {
      const severity = severityOf(message);
      if (severity === 'error') of(slug).errors++;
      else if (severity === 'warning') of(slug).warnings++;
    }
  }
  for (const version of versions) if (version.withheld) of(version.slug).withheld.push(version.locale);
  return [...tallies.values()].filter((tally) => tally.errors + tally.warnings + tally.withheld.length > 0).sort((a, b) => a.slug.localeCompare(b.slug));
}
