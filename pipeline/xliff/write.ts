/**
 * Serialize an exchange document as XLIFF 2.0 (default) or 1.2: one `<file>`
 * per statement, one unit per segment, id = the bundle key. Deterministic, so
 * an unchanged export is byte-identical.
 */
import { escapeAttribute, escapeXml } from './xml.ts';
import { toXliffInline, tokenize, type XliffVersion } from './codes.ts';
import type { UnitState, Draft } from '../review.ts';
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

function matches20(unit: XliffUnit): string[] {
  const written = (unit.matches ?? []).flatMap((match) => {
    const source = matchInline(match.source, '2.0');
    const target = matchInline(match.target, '2.0');
    if (source === undefined || target === undefined) return [];
    return [
      `        <mtc:match ref="#s1" similarity="${match.similarity}" type="tm" origin="${escapeAttribute(match.origin)}">`,
      `          <source>${source}</source>`,
      `          <target>${target}</target>`,
      '        </mtc:match>',
    ];
  });
  return written.length === 0 ? [] : ['      <mtc:matches>', ...written, '      </mtc:matches>'];
}

function matches12(unit: XliffUnit): string[] {
  return (unit.matches ?? []).flatMap((match) => {
    const source = matchInline(match.source, '1.2');
    const target = matchInline(match.target, '1.2');
    if (source === undefined || target === undefined) return [];
    return [`        <alt-trans match-quality="${match.similarity}" origin="${escapeAttribute(match.origin)}"><source>${source}</source><target>${target}</target></alt-trans>`];
  });
}

/** XLIFF 1.2 `state` and `state-qualifier` for our states. */
function state12(unit: XliffUnit): string {
  if (unit.state === 'initial') {
    const qualifier = unit.draft === 'memory' ? ' state-qualifier="exact-match"' : unit.draft === 'stale' ? ' state-qualifier="x-stale"' : '';
    return ` state="needs-review-translation"${qualifier}`;
  }
  return ` state="${unit.state === 'reviewed' ? 'signed-off' : unit.state}"`;
}

function unit20(unit: XliffUnit): string[] {
  const source = toXliffInline(tokenize(unit.source), unit.tags, '2.0')!;
  const target = unit.target === undefined ? undefined : toXliffInline(tokenize(unit.target), unit.tags, '2.0');
  const subState = unit.draft ? ` subState="statements:${unit.draft}"` : '';
  const matches = matches20(unit);
  return [
    `    <unit id="${escapeAttribute(unit.id)}">`,
    ...matches,
    '      <notes>',
    ...unit.notes.map((note) => `        <note category="${escapeAttribute(note.category)}">${escapeXml(note.text)}</note>`),
    '      </notes>',
    `      <segment${matches.length > 0 ? ' id="s1"' : ''} state="${target === undefined ? 'initial' : unit.state}"${target === undefined ? '' : subState}>`,
    `        <source>${source}</source>`,
    ...(target === undefined ? [] : [`        <target>${target}</target>`]),
    '      </segment>',
    '    </unit>',
  ];
}

function unit12(unit: XliffUnit): string[] {
  const source = toXliffInline(tokenize(unit.source), unit.tags, '1.2')!;
  const target = unit.target === undefined ? undefined : toXliffInline(tokenize(unit.target), unit.tags, '1.2');
  const approved = target !== undefined && (unit.state === 'reviewed' || unit.state === 'final') ? ' approved="yes"' : '';
  return [
    `      <trans-unit id="${escapeAttribute(unit.id)}" resname="${escapeAttribute(unit.id)}"${approved}>`,
    `        <source>${source}</source>`,
    ...(target === undefined ? [] : [`        <target${state12(unit)}>${target}</target>`]),
    ...matches12(unit),
    ...unit.notes.map((note) => `        <note from="statements" annotates="${note.category === 'kind' ? 'general' : 'source'}">${escapeXml(`${note.category}: ${note.text}`)}</note>`),
    '      </trans-unit>',
  ];
}

/** The XLIFF text of `document`. */
export function writeXliff(document: XliffDocument, version: XliffVersion = '2.0'): string {
  const { sourceLocale: src, targetLocale: trg } = document;
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (version === '2.0') {
    lines.push(`<xliff xmlns="${NS_20}" xmlns:mtc="${NS_MTC}" version="2.0" srcLang="${src}" trgLang="${trg}">`);
    for (const file of document.files) {
      lines.push(`  <file id="${escapeAttribute(file.slug)}" original="${escapeAttribute(file.original)}">`);
      lines.push('    <notes>', `      <note category="revision">${file.revision}</note>`, '    </notes>');
      for (const unit of file.units) lines.push(...unit20(unit));
      lines.push('  </file>');
    }
  } else {
    lines.push(`<xliff xmlns="${NS_12}" version="1.2">`);
    for (const file of document.files) {
      lines.push(`  <file original="${escapeAttribute(file.original)}" source-language="${src}" target-language="${trg}" datatype="x-markdown" product-name="${escapeAttribute(file.slug)}">`);
      lines.push('    <header>', '      <tool tool-id="statements" tool-name="statements"/>', `      <note from="statements">revision: ${file.revision}</note>`, '    </header>');
      lines.push('    <body>');
      for (const unit of file.units) lines.push(...unit12(unit));
      lines.push('    </body>', '  </file>');
    }
  }
  lines.push('</xliff>', '');
  return lines.join('\n');
}
