/**
 * Read an XLIFF 2.0 or 1.2 file as CAT tools write it: units (also inside
 * groups), segments a tool split a unit into, inline codes, states. Problems
 * that make the whole file unusable (not XML, not XLIFF, no target language,
 * a duplicated unit id) are returned as one positioned problem; problems of
 * one unit stay with that unit.
 */
import type { Point } from 'unist';
import type { Element } from 'xast';
import { attribute, childElements, localName, parseXml, placeOf } from './xml.ts';
import { fromXliffInline, type Token, type XliffVersion } from './codes.ts';
import type { UnitState } from '../translation/index.ts';
import type { Locale } from '../types.ts';

export interface ReadUnit {
  id: string;
  place: Point;
  source?: Token[];
  /** Undefined when the unit has no (complete) target. */
  target?: Token[];
  state: UnitState;
  /** A problem with this unit only (e.g. an unknown element in the target). */
  problem?: { reason: string; place: Point };
}

export interface ReadFile {
  /** The statement the `<file>` is for: 2.0 `id`, or the name of `original`. */
  slug?: string;
  place: Point;
  units: ReadUnit[];
  /** Units of any namespace (po2xliff writes XLIFF 1.1 ones into a 1.2 file): what a refused `<file>` held. */
  unitCount: number;
}

export interface ReadDocument {
  version: XliffVersion;
  /** Where the `<xliff>` element starts (the language attributes are on it or on `<file>`). */
  place: Point;
  sourceLocale?: Locale;
  targetLocale?: Locale;
  files: ReadFile[];
}

export type ReadResult = { ok: true; document: ReadDocument } | { ok: false; reason: string; place: Point };

/** XLIFF elements: unprefixed or with a prefix for the XLIFF namespace. */
const isXliff = (element: Element) => !element.name.includes(':') || element.name.startsWith('xlf:');
const children = (element: Element, name: string) => childElements(element).filter((child) => isXliff(child) && localName(child.name) === name);

const STATES_12: Record<string, UnitState> = {
  final: 'final',
  'signed-off': 'reviewed',
  translated: 'translated',
};

export interface ReadOptions {
  /**
   * XLIFF 1.2 `approved="yes"` means reviewed. Off by default: some tools
   * (translate-toolkit) write it on every target they set, meaning only
   * "not fuzzy"; then only `state="signed-off"`/`"final"` is a review.
   */
  approvedMeansReviewed?: boolean;
}

/** A 1.2 unit's state: only `signed-off` and `final` mean review, `approved="yes"` only when the user says so. */
function state12(target: Element, unit: Element, options: ReadOptions): UnitState {
  const state = attribute(target, 'state');
  if (options.approvedMeansReviewed && attribute(unit, 'approved') === 'yes') return state === 'final' ? 'final' : 'reviewed';
  // A target without a state is how older tools write a translation.
  if (state === undefined) return 'translated';
  return STATES_12[state] ?? 'initial';
}

const RANK: UnitState[] = ['initial', 'translated', 'reviewed', 'final'];
const lowest = (states: UnitState[]) => RANK[Math.min(...states.map((state) => RANK.indexOf(state)))]!;

function readUnit20(unit: Element): ReadUnit {
  const read: ReadUnit = { id: attribute(unit, 'id') ?? '', place: placeOf(unit), state: 'initial' };
  const source: Token[] = [];
  const target: Token[] = [];
  let complete = true;
  const states: UnitState[] = [];
  for (const part of childElements(unit).filter((child) => isXliff(child) && ['segment', 'ignorable'].includes(localName(child.name)))) {
    const sourceElement = children(part, 'source')[0];
    const targetElement = children(part, 'target')[0];
    const sourceTokens = sourceElement ? fromXliffInline(sourceElement) : undefined;
    const targetTokens = targetElement ? fromXliffInline(targetElement) : undefined;
    for (const result of [sourceTokens, targetTokens]) if (result && !result.ok) read.problem ??= result;
    if (sourceTokens?.ok) source.push(...sourceTokens.tokens);
    if (localName(part.name) === 'segment') {
      const state = attribute(part, 'state') as UnitState;
      states.push(RANK.includes(state) ? state : 'initial');
      if (targetTokens?.ok) target.push(...targetTokens.tokens);
      else complete = false;
    } else {
      // Ignorable white space between segments: its target, or its source.
      target.push(...(targetTokens?.ok ? targetTokens.tokens : sourceTokens?.ok ? sourceTokens.tokens : []));
    }
  }
  read.source = source;
  if (complete && states.length > 0) read.target = target;
  read.state = states.length > 0 ? lowest(states) : 'initial';
  return read;
}

function readUnit12(unit: Element, options: ReadOptions): ReadUnit {
  const read: ReadUnit = { id: attribute(unit, 'id') ?? '', place: placeOf(unit), state: 'initial' };
  // Tools that segment a unit keep the whole text in `<source>`/`<target>`, with `<mrk mtype="seg">` inside.
  const sourceElement = children(unit, 'source')[0];
  const targetElement = children(unit, 'target')[0];
  const source = sourceElement ? fromXliffInline(sourceElement) : undefined;
  const target = targetElement ? fromXliffInline(targetElement) : undefined;
  for (const result of [source, target]) if (result && !result.ok) read.problem ??= result;
  if (source?.ok) read.source = source.tokens;
  if (target?.ok && targetElement) {
    read.target = target.tokens;
    read.state = state12(targetElement, unit, options);
  }
  return read;
}

/** Elements named `name` below `parent`, whatever their prefix or namespace. */
const countUnits = (parent: Element, name: string): number =>
  childElements(parent).reduce((count, child) => count + (localName(child.name) === name ? 1 : countUnits(child, name)), 0);

/** Units in document order, groups flattened. */
function collectUnits(parent: Element, name: string, read: (unit: Element) => ReadUnit): ReadUnit[] {
  return childElements(parent)
    .filter(isXliff)
    .flatMap((child) => (localName(child.name) === name ? [read(child)] : localName(child.name) === 'group' || localName(child.name) === 'body' ? collectUnits(child, name, read) : []));
}

const slugOf = (original: string | undefined) => original?.split(/[\\/]/).at(-1)?.replace(/\.(md|markdown)$/, '');

/** Parse an XLIFF file. */
export function readXliff(text: string, options: ReadOptions = {}): ReadResult {
  const xml = parseXml(text);
  if (!xml.ok) return { ok: false, reason: `Malformed XML: ${xml.reason}`, place: xml.place };
  const root = xml.root;
  if (localName(root.name) !== 'xliff') return { ok: false, reason: `Unexpected root element \`<${root.name}>\`, expected \`<xliff>\``, place: placeOf(root) };
  const version = attribute(root, 'version');
  if (version !== '2.0' && version !== '2.1' && version !== '1.2') {
    return { ok: false, reason: `Unexpected XLIFF version \`${version ?? 'none'}\`, expected \`2.0\` or \`1.2\``, place: placeOf(root) };
  }
  const files = children(root, 'file');
  const v2 = version !== '1.2';
  const document: ReadDocument = {
    version: v2 ? '2.0' : '1.2',
    place: placeOf(v2 ? root : (files[0] ?? root)),
    sourceLocale: v2 ? attribute(root, 'srcLang') : files[0] && attribute(files[0], 'source-language'),
    targetLocale: v2 ? attribute(root, 'trgLang') : files[0] && attribute(files[0], 'target-language'),
    files: [],
  };
  if (!document.targetLocale) {
    return { ok: false, reason: v2 ? 'Missing `trgLang` on `<xliff>`, expected the target locale such as `trgLang="nl"`' : 'Missing `target-language` on `<file>`, expected the target locale such as `target-language="nl"`', place: placeOf(v2 ? root : (files[0] ?? root)) };
  }
  for (const file of files) {
    if (!v2 && attribute(file, 'target-language') !== document.targetLocale) {
      return { ok: false, reason: `Unexpected \`target-language="${attribute(file, 'target-language') ?? ''}"\`, expected \`${document.targetLocale}\` as in the first \`<file>\``, place: placeOf(file) };
    }
    const units = v2 ? collectUnits(file, 'unit', readUnit20) : collectUnits(file, 'trans-unit', (unit) => readUnit12(unit, options));
    const seen = new Map<string, Point>();
    for (const unit of units) {
      if (!unit.id) return { ok: false, reason: 'Missing `id` on a unit, expected the bundle key', place: unit.place };
      const first = seen.get(unit.id);
      if (first) return { ok: false, reason: `Duplicate unit id \`${unit.id}\`, first used on line ${first.line}`, place: unit.place };
      seen.set(unit.id, unit.place);
    }
    const unitCount = countUnits(file, v2 ? 'unit' : 'trans-unit');
    document.files.push({ slug: v2 ? (attribute(file, 'id') ?? slugOf(attribute(file, 'original'))) : slugOf(attribute(file, 'original')), place: placeOf(file), units, unitCount });
  }
  if (document.files.length === 0) return { ok: false, reason: 'Missing `<file>`, expected one per statement', place: placeOf(root) };
  return { ok: true, document };
}
