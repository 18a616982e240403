/**
 * Stage 3: reassemble. For one statement × locale, choose each segment's
 * string and put it in place twice: in a copy of the source tree (tags parsed
 * back into the original inline nodes), which HTML and PDF render from, and
 * in the statement's own text (splice.ts), which is the localized Markdown.
 * Positions are kept, so later findings still point at the statement.
 * Findings carry their rule's default severity; the command applies
 * `checks.rules` and `--strict` to them afterwards (check/severity.ts), like
 * to every other finding.
 */
import type { Nodes, PhrasingContent, Yaml } from 'mdast';
import { decodeInline, placeSegment } from '../extract/index.ts';
import { bundleOf, bundlePlace, type Catalog, isStale, translationRecord } from '../project/index.ts';
import { sourceChange } from '../translation/index.ts';
import { report, type Diagnostics } from '../diagnostics.ts';
import type { TranslationResolver } from './resolve.ts';
import { applyEdits, bodyEdits, oneLine, type Edit } from './splice.ts';
import { serializeFrontMatter, spliceFrontMatter } from './front-matter.ts';
import type { ResolvedConfig } from '../config.ts';
import type { FrontMatter, Locale, LocalizedDocument, Segment, SegmentKind, Statement, TagTable } from '../types.ts';

export interface ReassembleContext {
  resolver: TranslationResolver;
  catalog: Catalog;
  diagnostics: Diagnostics;
  config: Pick<ResolvedConfig, 'localesDir'>;
}

export interface ReassembleResult extends LocalizedDocument {
  /** A translation could not be used as written: do not publish this document. */
  failed: boolean;
}

/** Build the `locale` version of `statement` from its keyed `segments`. */
export function reassemble(statement: Statement, segments: Segment[], locale: Locale, context: ReassembleContext): ReassembleResult {
  const { resolver, catalog, diagnostics, config } = context;
  const sourceLocale = statement.frontMatter.lang;
  // Each segment's node has its copy in the localized tree: translations go there.
  const copies = new Map<object, object>();
  const tree = cloneTree(statement.tree, copies);
  const frontMatter: FrontMatter = { ...cloneTree(statement.frontMatter), lang: locale };
  const missing: string[] = [];
  const stale: string[] = [];
  const strings: string[] = [];
  const fallbackKinds = new Set<SegmentKind>();
  let failed = false;
  const at = (lng: Locale, key: string) => {
    const bundle = bundleOf(catalog, lng, config, statement.slug);
    return { file: diagnostics.file(bundle.path), place: bundlePlace(bundle, key) };
  };

  segments.forEach((segment) => {
    const node = segment.node && (copies.get(segment.node) as Nodes);
    let value = segment.source;
    if (locale !== sourceLocale) {
      const found = resolver.resolve(statement.slug, segment.key, locale, sourceLocale);
      if (!found || found.locale === sourceLocale) {
        missing.push(segment.key);
        fallbackKinds.add(segment.kind);
        // The renderers mark the block (or image) with the language it is really in; a link title has no element of its own.
        if (node && segment.kind !== 'link-title') node.data = { ...node.data, lang: sourceLocale };
        const { file, place } = at(locale, segment.key);
        report(file, {
          reason: `Missing ${locale} translation of \`${segment.key}\`, using the source text`,
          ruleId: 'missing-translation',
          severity: 'warning',
          place,
          note: `Source: ${segment.source}`,
        });
      } else {
        value = found.value;
        const record = translationRecord(catalog.state, found.locale, segment.key, value);
        if (isStale(record, segment.source, value)) {
          stale.push(segment.key);
          const { file, place } = at(found.locale, segment.key);
          // The change itself, when extract recorded the text the translation was made from.
          const change = record?.previousSource === undefined ? undefined : sourceChange(record.previousSource, segment.source);
          report(file, {
            reason: change
              ? `Stale translation of \`${segment.key}\`: the source changed from \`${change.before}\` to \`${change.after}\` since it was translated`
              : `Stale translation of \`${segment.key}\`: the source changed since it was translated`,
            ruleId: 'stale-translation',
            severity: 'warning',
            place,
            note: `Source: ${segment.source}`,
          });
        }
      }
    }
    // The copy already holds the source's own nodes: a string equal to its source leaves them as the author wrote them.
    if (value === segment.source) return void strings.push(value);
    value = oneLine(value);
    const decoded = decodeInline(value, copyTags(segment.tags, copies));
    if (!decoded.ok) {
      failed = true;
      const { file, place } = at(locale, segment.key);
      report(file, {
        reason: `Tags of \`${segment.key}\` do not match the source \`${segment.source}\`: ${decoded.problems.join('; ')}`,
        ruleId: 'tag-mismatch',
        severity: 'error',
        place,
        note: `Source: ${segment.source}`,
      });
      return void strings.push(segment.source);
    }
    strings.push(value);
    placeSegment(segment.kind, node, frontMatter, decoded.nodes);
  });

  // The tree keeps the source's YAML node: renderers read `frontMatter`, and `localizedMarkdown` splices the source's YAML.
  const partial = fallbackKinds.size > 0 ? { locale: sourceLocale, kinds: [...fallbackKinds] } : undefined;
  return { statement, locale, tree, frontMatter, missing, stale, failed, segments, strings, ...(partial ? { partial } : {}) };
}

/**
 * A deep copy of plain data such as an mdast tree; `copies` learns each
 * object's copy. Positions are shared, not copied: no stage changes them, and
 * copying them was most of the cost of `structuredClone` per locale.
 */
export function cloneTree<T>(value: T, copies?: Map<object, object>): T {
  if (Array.isArray(value)) return value.map((item) => cloneTree(item, copies)) as T;
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    const field = (value as Record<string, unknown>)[key];
    copy[key] = key === 'position' ? field : cloneTree(field, copies);
  }
  copies?.set(value, copy);
  return copy as T;
}

/** A segment's tags standing for the copies of their nodes, which decoding fills. */
const copyTags = (tags: TagTable, copies: Map<object, object>): TagTable =>
  new Map([...tags].map(([id, tag]) => [id, { ...tag, node: copies.get(tag.node) as PhrasingContent }]));

/**
 * A document's Markdown: the statement exactly as its author wrote it, with
 * each segment whose string differs from its source spliced in, and the
 * translated front-matter fields and `lang` replaced in the author's YAML.
 */
export function localizedMarkdown(document: LocalizedDocument): string {
  const { statement } = document;
  const text = String(statement.file.value);
  if (document.locale === statement.frontMatter.lang) return text;
  const edits: Edit[] = bodyEdits(text, document.segments, document.strings);
  const yaml = statement.tree.children[0]?.type === 'yaml' ? (statement.tree.children[0] as Yaml) : undefined;
  const opening = yaml?.position?.start.offset;
  if (yaml && opening !== undefined) {
    // The YAML text starts on the line after the opening `---`.
    const start = text.indexOf('\n', opening) + 1;
    const end = start + yaml.value.length;
    const spliced =
      text.slice(start, end) === yaml.value ? spliceFrontMatter(yaml.value, statement.frontMatter, document.frontMatter, statement.fieldSlots) : undefined;
    if (spliced !== yaml.value) edits.unshift({ start, end, text: spliced ?? serializeFrontMatter(document.frontMatter).trimEnd() });
  }
  return applyEdits(text, edits);
}
