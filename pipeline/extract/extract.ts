/**
 * Stage 2: extract. Merge a statement's segments into its catalog: the source
 * bundle is regenerated, target bundles keep every translation (stale ones
 * flagged in the state), removed translations move to the obsolete store and
 * come back with their text. Planned first, then written atomically.
 */
import { collectSegments } from './segment.ts';
import { assignKeys } from './keys.ts';
import { bundlePath, type Catalog, emptyState, hashText, isStaleHash, serializeBundle, statePath, stringifyJson } from '../project/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, LocaleBundle, Segment, Statement, StatementState, TranslationRecord } from '../types.ts';

/** Keyed segments of a statement, from its parsed tree and its key history. */
export function extractSegments(statement: Statement, catalog: Catalog): Segment[] {
  const drafts = collectSegments(statement.tree, statement.frontMatter);
  return assignKeys(drafts, { source: catalog.bundles.get(statement.frontMatter.lang)?.bundle, state: catalog.state });
}

export interface MergeCounts {
  segments: number;
  added: number;
  stale: number;
  obsoleted: number;
  restored: number;
  /** Segments and words pre-filled from the translation memory, per target locale. */
  reused?: Record<Locale, { segments: number; words: number }>;
}

export interface MergedCatalog {
  source: LocaleBundle;
  targets: Map<Locale, LocaleBundle>;
  state: StatementState;
  counts: MergeCounts;
}

/** Merge new segments into a catalog. Pure: nothing a translator wrote is dropped. */
export function mergeCatalog(segments: Segment[], sourceLocale: Locale, targetLocales: Locale[], catalog: Catalog): MergedCatalog {
  const previous = catalog.state ?? emptyState(sourceLocale);
  const oldSource = catalog.bundles.get(sourceLocale)?.bundle ?? {};
  const source: LocaleBundle = Object.fromEntries(segments.map((segment) => [segment.key, segment.source]));
  const obsolete = structuredClone(previous.obsolete);
  // Each text is hashed once: a merge compares every segment of every locale by hash.
  const sources = Object.fromEntries(segments.map((segment) => [segment.key, hashText(segment.source)]));
  const state: StatementState = {
    version: 1,
    sourceLocale,
    segments: Object.fromEntries(segments.map((segment) => [segment.key, segment.kind])),
    targets: {},
    obsolete,
    sources,
  };
  const counts: MergeCounts = { segments: segments.length, added: 0, stale: 0, obsoleted: 0, restored: 0 };
  counts.added = segments.filter((segment) => !(segment.key in oldSource) && !(segment.key in previous.obsolete)).length;

  const restoredKeys = segments.map((segment) => segment.key).filter((key) => key in previous.obsolete);
  counts.restored = restoredKeys.length;
  for (const key of restoredKeys) delete obsolete[key];

  const targets = new Map<Locale, LocaleBundle>();
  // Locales with translations but no longer targeted keep their files untouched.
  for (const locale of targetLocales.filter((lng) => lng !== sourceLocale)) {
    const old = catalog.bundles.get(locale)?.bundle ?? {};
    const oldRecords = previous.targets[locale] ?? {};
    const bundle: LocaleBundle = {};
    const records: Record<string, TranslationRecord> = {};
    for (const segment of segments) {
      const value = old[segment.key] || previous.obsolete[segment.key]?.targets[locale] || '';
      bundle[segment.key] = value;
      if (!value) continue;
      const record = oldRecords[segment.key];
      const target = hashText(value);
      // Typed or edited since the last extract: made from the source that extract wrote (the source bundle, when the state was lost).
      const before = () => previous.sources?.[segment.key] ?? (segment.key in oldSource ? hashText(oldSource[segment.key]!) : sources[segment.key]!);
      const current = record && record.target === target ? record : { source: before(), target };
      records[segment.key] = current;
      if (isStaleHash(current, sources[segment.key]!, target)) counts.stale++;
    }
    for (const [key, value] of Object.entries(old)) {
      if (key in source || !value) continue;
      const entry = (obsolete[key] ??= { kind: previous.segments[key] ?? 'paragraph', source: oldSource[key] ?? '', targets: {} });
      entry.targets[locale] = value;
      counts.obsoleted++;
    }
    targets.set(locale, bundle);
    state.targets[locale] = records;
  }
  // Records of locales this run did not touch are kept as they were.
  for (const [locale, records] of Object.entries(previous.targets)) state.targets[locale] ??= records;
  return { source, targets, state, counts };
}

/** A file extract would write, with its new content. */
export interface PlannedWrite {
  path: string;
  content: string;
}

/** The writes that bring a catalog on disk in line with a merge; unchanged files are left out. */
export function planCatalogWrites(slug: string, merged: MergedCatalog, catalog: Catalog, config: ResolvedConfig): PlannedWrite[] {
  const writes: PlannedWrite[] = [];
  const add = (file: string, content: string, before: string | undefined) => {
    if (content !== before) writes.push({ path: file, content });
  };
  add(bundlePath(config, merged.state.sourceLocale, slug), serializeBundle(merged.source), catalog.bundles.get(merged.state.sourceLocale)?.text);
  for (const [locale, bundle] of merged.targets) add(bundlePath(config, locale, slug), serializeBundle(bundle), catalog.bundles.get(locale)?.text);
  add(statePath(config, slug), stringifyJson(merged.state), catalog.stateText);
  return writes;
}
