/**
 * Serialize an exchange document as XLIFF 2.0 (default) or 1.2: one `<file>`
 * per statement, one unit per segment, id = the bundle key. Deterministic, so
 * an unchanged export is byte-identical.
 */
import { x, type Attributes } from 'xastscript';
import type { Element } from 'xast';
import { block, serializeDocument, textNodes } from '../project/index.ts';
import { toXliffInline, tokenize, type XliffVersion } from './codes.ts';
import type { Draft, UnitState } from '../translation/index.ts';
import type { Locale, SegmentKind, TagTable } from '../types.ts';

export interface XliffNote {
  /** `kind`, `previous-source`, `memory`, `fallback`, `problem`. */
  category: string;
  text: string;
}

export interface XliffUnit {
  id: string;
  kind: SegmentKind;
  /** Tagged source text. */
  source: string;
  /** Tagged target text, when there is one. */
  target?: string;
  tags: TagTable;
  state: UnitState;
  draft?: Draft;
  notes: XliffNote[];
  /** Translation-memory near matches, also as CAT tools read them (2.0 `<mtc:match>`, 1.2 `<alt-trans>`). */
  matches?: XliffMatch[];
}

export interface XliffMatch {
  /** 0…100. */
  similarity: number;
  /** Where the match comes from: `<slug>#<key>`. */
  origin: string;
  source: string;
  target: string;
}

export interface XliffFile {
  slug: string;
  /** The statement's path relative to the project root. */
  original: string;
  /** Source revision (sha256 of the statement) the file was exported from. */
  revision: string;
  units: XliffUnit[];
}

export interface XliffDocument {
  sourceLocale: Locale;
  targetLocale: Locale;
  files: XliffFile[];
}

const NS_20 = 'urn:oasis:names:tc:xliff:document:2.0';
const NS_12 = 'urn:oasis:names:tc:xliff:document:1.2';
const NS_MTC = 'urn:oasis:names:tc:xliff:matches:2.0';

/** A match's text as inline content; its codes are its own, so they carry no types. */
const matchInline = (text: string, version: XliffVersion) => toXliffInline(tokenize(text), new Map(), version);

function matches20(unit: XliffUnit): Element[] {
  const written = (unit.matches ?? []).flatMap((match) => {
    const source = matchInline(match.source, '2.0');
    const target = matchInline(match.target, '2.0');
    if (source === undefined || target === undefined) return [];
    return [block('mtc:match', { ref: '#s1', similarity: match.similarity, type: 'tm', origin: match.origin }, 4, [x('source', {}, source), x('target', {}, target)])];
  });
  return written.length === 0 ? [] : [block('mtc:matches', {}, 3, written)];
}

function matches12(unit: XliffUnit): Element[] {
  return (unit.matches ?? []).flatMap((match) => {
    const source = matchInline(match.source, '1.2');
    const target = matchInline(match.target, '1.2');
    if (source === undefined || target === undefined) return [];
    return [x('alt-trans', { 'match-quality': match.similarity, origin: match.origin }, x('source', {}, source), x('target', {}, target))];
  });
}

/** XLIFF 1.2 `state` and `state-qualifier` for our states. */
function state12(unit: XliffUnit): Attributes {
  if (unit.state === 'initial') {
    const qualifier = unit.draft === 'memory' ? 'exact-match' : unit.draft === 'stale' ? 'x-stale' : undefined;
    return { state: 'needs-review-translation', 'state-qualifier': qualifier };
  }
  return { state: unit.state === 'reviewed' ? 'signed-off' : unit.state };
}

function unit20(unit: XliffUnit): Element {
  const source = toXliffInline(tokenize(unit.source), unit.tags, '2.0')!;
  const target = unit.target === undefined ? undefined : toXliffInline(tokenize(unit.target), unit.tags, '2.0');
  const matches = matches20(unit);
  const segment = {
    id: matches.length > 0 ? 's1' : undefined,
    state: target === undefined ? 'initial' : unit.state,
    subState: target !== undefined && unit.draft ? `statements:${unit.draft}` : undefined,
  };
  return block('unit', { id: unit.id }, 2, [
    ...matches,
    block('notes', {}, 3, unit.notes.map((note) => x('note', { category: note.category }, textNodes(note.text)))),
    block('segment', segment, 3, [x('source', {}, source), ...(target === undefined ? [] : [x('target', {}, target)])]),
  ]);
}

function unit12(unit: XliffUnit): Element {
  const source = toXliffInline(tokenize(unit.source), unit.tags, '1.2')!;
  const target = unit.target === undefined ? undefined : toXliffInline(tokenize(unit.target), unit.tags, '1.2');
  const approved = target !== undefined && (unit.state === 'reviewed' || unit.state === 'final') ? 'yes' : undefined;
  return block('trans-unit', { id: unit.id, resname: unit.id, approved }, 3, [
    x('source', {}, source),
    ...(target === undefined ? [] : [x('target', state12(unit), target)]),
    ...matches12(unit),
    ...unit.notes.map((note) => x('note', { from: 'statements', annotates: note.category === 'kind' ? 'general' : 'source' }, textNodes(`${note.category}: ${note.text}`))),
  ]);
}

function file20(file: XliffFile): Element {
  return block('file', { id: file.slug, original: file.original }, 1, [block('notes', {}, 2, [x('note', { category: 'revision' }, file.revision)]), ...file.units.map(unit20)]);
}

function file12(file: XliffFile, src: Locale, trg: Locale): Element {
  return block('file', { original: file.original, 'source-language': src, 'target-language': trg, datatype: 'x-markdown', 'product-name': file.slug }, 1, [
    block('header', {}, 2, [x('tool', { 'tool-id': 'statements', 'tool-name': 'statements' }), x('note', { from: 'statements' }, `revision: ${file.revision}`)]),
    block('body', {}, 2, file.units.map(unit12)),
  ]);
}

/** The XLIFF text of `document`. */
export function writeXliff(document: XliffDocument, version: XliffVersion = '2.0'): string {
  const { sourceLocale: src, targetLocale: trg } = document;
  const xliff =
    version === '2.0'
      ? block('xliff', { xmlns: NS_20, 'xmlns:mtc': NS_MTC, version: '2.0', srcLang: src, trgLang: trg }, 0, document.files.map(file20))
      : block('xliff', { xmlns: NS_12, version: '1.2' }, 0, document.files.map((file) => file12(file, src, trg)));
  return serializeDocument(xliff);
}
