/**
 * Plan the import of one XLIFF file: validate it against the project (known
 * statement, configured target locale, known unit ids, codes matching the
 * source) and compute the new bundles and state. Nothing a translator wrote
 * is lost: a unit whose source no longer matches the current source goes in
 * as stale (and only where there is no translation yet), an empty target
 * never clears a translation, and a refused unit leaves its string as it was.
 */
import type { Point } from 'unist';
import propose from 'propose';
import { error, report, warning } from '../diagnostics.ts';
import { bundlePath, type Catalog, hashText, serializeBundle, statePath, stringifyJson } from '../project/index.ts';
import { decodeInline, type PlannedWrite } from '../extract/index.ts';
import path from 'node:path';
import { isVariant, pseudoLocaleOf, thinBundle, translationState, variantParent } from '../translation/index.ts';
import { detokenize, sameText, type Token } from './codes.ts';
import type { ReadFile, ReadUnit } from './read.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, LocaleBundle, Segment, Statement, StatementState, TagTable, TranslationRecord } from '../types.ts';
import type { VFile } from 'vfile';

export interface ImportCounts {
  /** Units whose string or state changed. */
  updated: number;
  unchanged: number;
  /** Units imported as stale (their source changed since the export). */
  stale: number;
  /** Units refused: unknown id, broken codes. */
  refused: number;
  /** Units of an older export not imported because a translation is already there. */
  kept: number;
  /** Units without a target. */
  empty: number;
}

export const emptyCounts = (): ImportCounts => ({ updated: 0, unchanged: 0, stale: 0, refused: 0, kept: 0, empty: 0 });

/** "did you mean" for a near name. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const best = propose(value, [...candidates], { threshold: 0.6 });
  return best === null ? '' : `; did you mean \`${best}\`?`;
}

/** A stand-in tag table with the shape of codes found in an older source, to check a target against. */
function shapeOf(tokens: Token[]): TagTable {
  const tags: TagTable = new Map();
  for (const token of tokens) {
    if (token.type === 'open') tags.set(token.id, { paired: true, node: { type: 'emphasis', children: [] } });
    if (token.type === 'atom') tags.set(token.id, { paired: false, node: { type: 'break' } });
  }
  return tags;
}

const copyTags = (tags: TagTable): TagTable => new Map([...tags].map(([id, tag]) => [id, { paired: tag.paired, node: structuredClone(tag.node) }]));

function record(source: string, value: string, state: ReadUnit['state']): TranslationRecord {
  const made: TranslationRecord = { source: hashText(source), target: hashText(value) };
  if (state === 'initial') Object.assign(made, { needsReview: true, origin: 'import' });
  else if (state !== 'translated') made.review = state;
  return made;
}

/** A statement's path as shown to people: relative to the project. */
export const displayPath = (statement: Statement, config: Pick<ResolvedConfig, 'root'>) => path.relative(config.root, path.resolve(config.root, statement.path)).split(path.sep).join('/');

export interface ImportTarget {
  statement: Statement;
  segments: Segment[];
  catalog: Catalog;
  locale: Locale;
}

/** Why a `<file>` for no statement the project has is refused. */
export const unknownStatement = (file: ReadFile, known: string[]) => {
  const name = file.slug ?? '(none)';
  return `Unknown statement \`${name}\` in \`<file>\`, expected one of ${known.map((slug) => `\`${slug}\``).join(', ') || 'none'}${didYouMean(name, known)}`;
};

/** Check one `<file>` against the project before any unit is read. */
export function checkFile(file: ReadFile, xliff: VFile, documentPlace: Point, sourceLocale: Locale | undefined, locale: Locale, statement: Statement | undefined, known: string[], config: Pick<ResolvedConfig, 'root'>): boolean {
  if (!statement) {
    error(xliff, unknownStatement(file, known), 'xliff-unknown-statement', file.place);
    return false;
  }
  if (sourceLocale && sourceLocale !== statement.frontMatter.lang) {
    error(xliff, `Unexpected source locale \`${sourceLocale}\`, expected \`${statement.frontMatter.lang}\` (the language of \`${displayPath(statement, config)}\`)`, 'xliff-locale', documentPlace);
    return false;
  }
  if (locale === statement.frontMatter.lang) {
    error(xliff, `Unexpected target locale \`${locale}\`: it is the source language of \`${displayPath(statement, config)}\`, which only the statement itself changes`, 'xliff-locale', documentPlace);
    return false;
  }
  if (!statement.locales.includes(locale)) {
    error(xliff, `Statement \`${statement.slug}\` is not published in \`${locale}\`, expected one of ${statement.locales.filter((l) => l !== statement.frontMatter.lang).map((l) => `\`${l}\``).join(', ')}`, 'xliff-locale', documentPlace);
    return false;
  }
  return true;
}

/** The writes that bring one statement's catalog in line with the units of `file`. */
export function planFileImport(file: ReadFile, target: ImportTarget, xliff: VFile, config: ResolvedConfig): { writes: PlannedWrite[]; counts: ImportCounts } {
  const { statement, segments, catalog, locale } = target;
  const counts = emptyCounts();
  const byKey = new Map(segments.map((segment) => [segment.key, segment]));
  const previous = catalog.bundles.get(locale);
  const bundle: LocaleBundle = { ...(previous?.bundle ?? {}) };
  const state: StatementState = structuredClone(catalog.state!);
  const records = (state.targets[locale] ??= {});
  const parent = variantParent(config, locale);
  const parentBundle = parent ? (catalog.bundles.get(parent)?.bundle ?? {}) : {};

  for (const unit of file.units) {
    const segment = byKey.get(unit.id);
    if (!segment) {
      counts.refused++;
      error(xliff, `Unknown unit id \`${unit.id}\` for statement \`${statement.slug}\`, expected a key of \`${displayPath(statement, config)}\`${didYouMean(unit.id, byKey.keys())}`, 'xliff-unknown-id', unit.place);
      continue;
    }
    if (unit.problem) {
      counts.refused++;
      error(xliff, `Unit \`${unit.id}\` refused: ${unit.problem.reason}`, 'xliff-inline', unit.problem.place);
      continue;
    }
    const value = unit.target ? detokenize(unit.target).trim() : '';
    if (!value) {
      counts.empty++;
      continue;
    }
    const source = detokenize(unit.source ?? []).trim();
    const current = sameText(source, segment.source);
    // decodeInline fills the tag nodes it is given: check against copies, never the statement's tree.
    const decoded = decodeInline(value, current ? copyTags(segment.tags) : shapeOf(unit.source ?? []));
    if (!decoded.ok) {
      counts.refused++;
      report(xliff, { reason: `Unit \`${unit.id}\` refused: ${decoded.problems.join('; ')}`, ruleId: 'xliff-tags', severity: 'error', place: unit.place, note: `Source: ${segment.source}` });
      continue;
    }
    const existing = bundle[unit.id] ?? '';
    if (parent && !existing && sameText(value, parentBundle[unit.id] ?? '')) {
      counts.unchanged++; // the variant says what its parent says: no override
      continue;
    }
    if (!current) {
      if (existing && sameText(existing, value)) counts.unchanged++;
      else if (existing) {
        counts.kept++;
        warning(xliff, `Unit \`${unit.id}\` not imported: its source changed since this file was exported and \`${locale}\` already has a translation, which is kept`, 'xliff-outdated', unit.place);
      } else {
        counts.stale++;
        bundle[unit.id] = value;
        records[unit.id] = { ...record(source, value, 'translated'), previousSource: source };
        warning(xliff, `Unit \`${unit.id}\` imported as stale: its source changed since this file was exported`, 'xliff-outdated', unit.place);
      }
      continue;
    }
    const before = translationState(records[unit.id], segment.source, existing || undefined);
    const same = existing !== '' && sameText(existing, value);
    if (same && before.state === unit.state) {
      counts.unchanged++;
      continue;
    }
    counts.updated++;
    if (!same) bundle[unit.id] = value;
    records[unit.id] = record(segment.source, bundle[unit.id]!, unit.state);
  }

  const writes: PlannedWrite[] = [];
  const ordered: LocaleBundle = Object.fromEntries([...segments.map((segment) => segment.key), ...Object.keys(bundle)].filter((key, index, keys) => key in bundle && keys.indexOf(key) === index).map((key) => [key, bundle[key]!]));
  const bundleText = serializeBundle(isVariant(config, locale) ? thinBundle(ordered) : ordered);
  if (bundleText !== (previous?.text ?? serializeBundle(previous?.bundle ?? {}))) writes.push({ path: bundlePath(config, locale, statement.slug), content: bundleText });
  const stateText = stringifyJson(state);
  if (stateText !== catalog.stateText) writes.push({ path: statePath(config, statement.slug), content: stateText });
  return { writes, counts };
}

/** Why a target locale cannot be imported into, or undefined when it can. */
export function refuseLocale(locale: Locale, config: ResolvedConfig): string | undefined {
  const targets = config.locales.filter((lng) => lng !== config.sourceLocale && lng !== pseudoLocaleOf(config));
  if (locale === pseudoLocaleOf(config)) return `Unexpected target locale \`${locale}\`: the pseudo-locale is generated by \`statements extract\`, not translated`;
  if (!config.locales.includes(locale)) return `Unknown target locale \`${locale}\`, expected one of ${targets.map((l) => `\`${l}\``).join(', ')}${didYouMean(locale, targets)}`;
  return undefined;
}
