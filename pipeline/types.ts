/**
 * The shapes shared by every stage, defined once.
 *
 * parse → extract → reassemble → check → render (html, pdf) → publish
 */
import type { Nodes, Root, PhrasingContent } from 'mdast';
import type { VFile } from 'vfile';

/** A BCP 47 language tag as used in folder names: `nl`, `fr`, `nl-BE`. */
export type Locale = string;

/** The contact block of a statement's front matter. */
export interface Contact {
  name?: string;
  role?: string;
  email?: string;
  phone?: string;
}

/** Validated YAML front matter of `statements/<slug>.md`. */
export interface FrontMatter {
  title: string;
  /** ISO date `YYYY-MM-DD`. */
  date: string;
  /** The source locale the statement is written in. */
  lang: Locale;
  summary?: string;
  author?: string;
  contact?: Contact;
  /** Target locales; defaults to the configured locales. */
  locales?: Locale[];
}

/** The front-matter fields a locale's version writes anew: the translated ones, and `lang`. */
export type LocalizedField = 'title' | 'summary' | 'contact.role' | 'lang';

/**
 * Where the author's YAML writes a localized field: a scalar of a block map,
 * which a one-line scalar can replace in place (its range in the YAML text
 * and its quoting); `absent`; or `other` (a flow map, an alias, a list),
 * which the localized YAML must be read back for.
 */
export type FieldSlot =
  { start: number; end: number; type?: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE' | 'BLOCK_FOLDED' | 'BLOCK_LITERAL' } | 'absent' | 'other';

/** A statement parsed once, shared by every later stage and every locale. */
export interface Statement {
  slug: string;
  /** Path relative to the project root, as printed in messages. */
  path: string;
  /** The statement file; messages about the source are reported on it. */
  file: VFile;
  tree: Root;
  frontMatter: FrontMatter;
  /** Where the YAML writes each localized field, found when it was parsed, so reassembly does not parse it again. */
  fieldSlots: Record<LocalizedField, FieldSlot>;
  /** Every locale the statement is published in, source first. */
  locales: Locale[];
  /** sha256 of the statement's bytes: its source revision. */
  revision: string;
}

/** What a translator translates: one unit of text. */
export type SegmentKind = 'title' | 'summary' | 'contact-role' | 'heading' | 'paragraph' | 'list-item' | 'table-cell' | 'footnote' | 'image-alt' | 'link-title';

/**
 * An inline node hidden behind a numbered tag. Paired tags (`<1>…</1>`) wrap
 * translatable children; atomic ones (`<2/>`) stand for a whole node.
 */
export interface Tag {
  paired: boolean;
  /** The node itself; for paired tags its children are replaced on reassembly. */
  node: PhrasingContent;
}

/** Tag number → the inline node it stands for. */
export type TagTable = Map<number, Tag>;

/** A segment found in a tree, before it has a key. */
export interface SegmentDraft {
  kind: SegmentKind;
  /** The text translators see: plain text with numbered tags. */
  source: string;
  tags: TagTable;
  /** Slug of the enclosing section, for readable keys. */
  section: string;
  position?: import('unist').Position;
  /**
   * The node whose text the segment is: the paragraph, heading or cell whose
   * children it holds, or the image, link or definition whose alt or title it
   * is; none for a front-matter field. Reassembly splices translations into
   * the statement's text at this node's place.
   */
  node?: Nodes;
}

/** A segment with its stable key. */
export interface Segment extends SegmentDraft {
  key: string;
}

/** An i18next JSON v4 namespace: flat keys, string values. */
export type LocaleBundle = Record<string, string>;

/** Where a translation came from and whether it is still current. */
export interface TranslationRecord {
  /** Hash of the source text the translation was made from. */
  source: string;
  /** Hash of the translation when it was recorded; an edit shows as a change. */
  target: string;
  /** Review state (four eyes before publishing); absent means `translated`. */
  review?: ReviewState;
  /** A draft: pre-filled from the translation memory or imported unconfirmed. */
  needsReview?: boolean;
  /** Where a draft came from: `memory` for an exact translation-memory match. */
  origin?: 'memory' | 'import';
  /** The source text a stale translation was made from, for the translator. */
  previousSource?: string;
}

/** How far a translation has been checked: XLIFF 2.0 segment states. */
export type ReviewState = 'translated' | 'reviewed' | 'final';

/** A removed segment, kept with every translation it had. */
export interface ObsoleteEntry {
  kind: SegmentKind;
  source: string;
  targets: Record<Locale, string>;
}

/**
 * Bookkeeping beside the bundles (`locales/.state/<slug>.json`), so that the
 * translator's files hold nothing but strings.
 */
export interface StatementState {
  version: 1;
  sourceLocale: Locale;
  /** Kind of each current key, in source order. */
  segments: Record<string, SegmentKind>;
  targets: Record<Locale, Record<string, TranslationRecord>>;
  obsolete: Record<string, ObsoleteEntry>;
  /**
   * Hash of each key's source text at the last extract: what a translation
   * typed or edited since then was made from, whenever extract runs next.
   */
  sources?: Record<string, string>;
}

/** A localized document: the source tree with every segment in one locale. */
export interface LocalizedDocument {
  statement: Statement;
  locale: Locale;
  tree: Root;
  frontMatter: FrontMatter;
  /** Keys that fell back to another locale, and those whose translation is stale. */
  missing: string[];
  stale: string[];
  /** The statement's segments and the string put in place of each (its source when none could be used). */
  segments: Segment[];
  strings: string[];
  /**
   * A partial version: some segments are shown in the source `locale`. Blocks
   * carry it as `data.lang`; `kinds` names the segments outside the tree (the
   * title, the contact role) that fell back too.
   */
  partial?: { locale: Locale; kinds: SegmentKind[] };
}

/** A file the build produces, addressed by its key below the output folder. */
export interface Artifact {
  /** Path below the output root with `/` separators, e.g. `nl/x/x-nl.md`. */
  key: string;
  contentType: string;
  locale?: Locale;
  slug?: string;
  /** Source revision of the statement the artifact was built from. */
  revision?: string;
}

export type { VFile };

declare module 'mdast' {
  interface Data {
    /** The language of a block's text when it is not the document's: a segment that fell back to the source. */
    lang?: Locale;
  }
}

/** Why a version (one statement in one locale) is not published. */
export type WithheldReason = 'error' | 'untranslated' | 'unreviewed';

export interface Withheld {
  reason: WithheldReason;
  /** What is missing, e.g. `2 errors` or `12 of 26 segments not translated (53%, 100% required)`. */
  detail: string;
}

/** One statement in one locale, as a build or a publish leaves it: published, or withheld and why. */
export interface Version {
  slug: string;
  locale: Locale;
  withheld?: Withheld;
  /** Where to fix what withholds it: `file:line:column` of the first finding, or a command. */
  fix?: string;
}

/**
 * When a version went out and last changed, as UTC days `YYYY-MM-DD`, with
 * the hash of its content. The publish manifest keeps one per published
 * version, so rebuilding unchanged content gives the same dates and bytes.
 */
export interface VersionDates {
  /** sha256 of what readers get of the version: its localized Markdown and images. */
  sha256: string;
  /** The day it was first published. */
  published: string;
  /** The day its content last changed, once it changed after the first publication. */
  updated?: string;
}
