/**
 * Reassembly by splicing: a localized statement's Markdown is its author's
 * text with the byte range of each translated segment replaced by the
 * translation, serialized for that place only. Everything outside the
 * segments (markers, wrapping, tables, reference definitions, spacing) and
 * every segment whose string equals its source stay byte for byte as written.
 *
 * A translated paragraph, heading or cell is one string: it is written on one
 * line (hard breaks `<n/>` keep the source's break and the indentation of the
 * line after it). Its tags come back as the source wrote them: a link's `[`
 * and `](url "title")`, an emphasis's own marker, code, images and HTML
 * verbatim. Text is escaped only where its place needs it (`#` or `1.` at the
 * start of a line, `|` in a cell, `*` that would open emphasis).
 */
import { toMarkdown, type Handle, type Info, type Options, type State } from 'mdast-util-to-markdown';
import { gfmToMarkdown } from 'mdast-util-gfm';
import type { Heading, Link, LinkReference, Nodes, Parents, PhrasingContent, Text } from 'mdast';
import { unescapeText } from '../extract/index.ts';
import type { Segment, TagTable } from '../types.ts';

/** A source range and what replaces it. */
export interface Edit {
  start: number;
  end: number;
  text: string;
}

const TAG = /<(\/?)(\d+)(\/?)>/g;
const start = (node: Nodes) => node.position!.start.offset!;
const end = (node: Nodes) => node.position!.end.offset!;

/** Phrasing segments hold the children of their node; the others an attribute of it. */
const ATTRIBUTE_KINDS = new Set(['image-alt', 'link-title', 'title', 'summary', 'contact-role']);

/**
 * The edits that turn the statement's body into its localized form: one per
 * segment whose string (`strings[i]`, already checked against its tags)
 * differs from its source. Front-matter fields are left to `spliceFrontMatter`.
 */
export function bodyEdits(source: string, segments: Segment[], strings: string[]): Edit[] {
  const changed = segments.map((segment, index) => ({ segment, value: strings[index]! })).filter(({ segment, value }) => value !== segment.source);
  if (changed.length === 0) return [];
  // Alts and titles first: a translated paragraph takes them into its own text.
  const attributes: Edit[] = [];
  for (const { segment, value } of changed) {
    const node = segment.node;
    if (!node?.position || !ATTRIBUTE_KINDS.has(segment.kind)) continue;
    const edit = segment.kind === 'image-alt' ? altEdit(source, node, plain(value)) : titleEdit(source, node, plain(value));
    if (edit) attributes.push(edit);
  }
  attributes.sort((a, b) => a.start - b.start);
  const phrasing: Array<{ node: Extract<Nodes, { children: PhrasingContent[] }>; value: string; tags: TagTable }> = [];
  for (const { segment, value } of changed) {
    const node = segment.node;
    if (node && 'children' in node && !ATTRIBUTE_KINDS.has(segment.kind) && node.children.length > 0 && node.position)
      phrasing.push({ node: node as Extract<Nodes, { children: PhrasingContent[] }>, value, tags: segment.tags });
  }
  const slice = (from: number, to: number) => applyEdits(source, attributes, from, to);
  const texts = serializeSegments(phrasing.map(({ node, value, tags }) => segmentTree(source, node, value, tags, slice)));
  const edits = phrasing.map(({ node }, index) => ({ start: start(node.children[0]!), end: end(node.children.at(-1)!), text: texts[index]! }));
  // An attribute inside a translated segment is already part of the segment's text.
  const outside = attributes.filter((attribute) => !edits.some((edit) => edit.start <= attribute.start && attribute.end <= edit.end));
  return [...edits, ...outside].sort((a, b) => a.start - b.start);
}

/** `source[from, to)` with the edits that lie inside it applied (edits sorted and disjoint). */
export function applyEdits(source: string, edits: Edit[], from = 0, to = source.length): string {
  let out = '';
  let at = from;
  for (const edit of edits) {
    if (edit.start < from || edit.end > to) continue;
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at, to);
}

/**
 * A translation is one line: a line break typed into it is a space, as a soft
 * break in Markdown is, so it can never end a paragraph, a title or a table row.
 */
export const oneLine = (value: string) => value.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ');

/** A plain-text segment's string as text: tags cannot occur, escapes are undone. */
const plain = (value: string) => unescapeText(value.trim());

/** Backslash-escape what could be read as markup inside an image's brackets. */
const escapeLabel = (text: string) => text.replace(/[\\`*_[\]<>!&~]/g, '\\$&');

/** The end of the bracketed label that starts at `open` (`[`), skipping escapes and nested brackets. */
function labelEnd(source: string, open: number, limit: number): number {
  let depth = 0;
  for (let index = open; index < limit; index++) {
    const char = source[index];
    if (char === '\\') index++;
    else if (char === '[') depth++;
    else if (char === ']' && --depth === 0) return index;
  }
  return -1;
}

/** The alt of an image replaced; a reference image whose label was its alt gets a full reference, so it still resolves. */
function altEdit(source: string, node: Nodes, alt: string): Edit | undefined {
  if (node.type !== 'image' && node.type !== 'imageReference') return undefined;
  const open = start(node) + 1;
  const close = labelEnd(source, open, end(node));
  if (source[open - 1] !== '!' || close < 0) return undefined;
  if (node.type === 'imageReference' && node.referenceType !== 'full')
    return { start: start(node), end: end(node), text: `![${escapeLabel(alt)}][${source.slice(open + 1, close)}]` };
  return { start: open + 1, end: close, text: escapeLabel(alt) };
}

const TITLE_OPENER: Record<string, string> = { '"': '"', "'": "'", ')': '(' };

/**
 * The title of a link, image or definition replaced in its own quotes. The
 * title is the last thing in the node's text (before an inline link's `)`),
 * so it is found from the end, backwards to its unescaped opening quote.
 */
function titleEdit(source: string, node: Nodes, title: string): Edit | undefined {
  let index = end(node) - 1;
  if (node.type !== 'definition') {
    if (source[index] !== ')') return undefined;
    index--;
  }
  while (/\s/.test(source[index] ?? '')) index--;
  const closer = source[index]!;
  const opener = TITLE_OPENER[closer];
  if (!opener) return undefined;
  const close = index;
  for (index--; index > start(node); index--) {
    if (source[index] !== opener) continue;
    let slashes = 0;
    while (source[index - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 0) break;
  }
  if (index <= start(node)) return undefined;
  const escaped = title
    .replace(/\\/g, '\\\\')
    .replace(new RegExp(`[${opener === '(' ? '()' : closer}]`, 'g'), '\\$&')
    .replace(/&(?=#?\w+;)/g, '&amp;');
  return { start: index + 1, end: close, text: escaped };
}

/** The custom nodes a translated segment is written from. */
type AttentionData = { marker?: string; size?: number };
interface RawNode {
  type: 'spliceRaw';
  /** The source's bytes for an atomic tag. */
  value: string;
  /** A hard break: the line after it is a new line for escaping. */
  isBreak: boolean;
  /** A GFM literal autolink (`https://…`, `a@b.example` without `<>`), which only links next to spaces. */
  literal?: Link;
}
interface LinkNode {
  type: 'spliceLink';
  open: string;
  close: string;
  children: Inline[];
}
interface AttentionNode {
  type: 'emphasis' | 'strong' | 'delete';
  data: AttentionData;
  children: Inline[];
}
type Inline = Text | RawNode | LinkNode | AttentionNode;
interface SegmentNode {
  type: 'spliceSegment';
  construct: 'paragraph' | 'headingAtx' | 'headingSetext' | 'tableCell';
  before: string;
  after: string;
  children: Inline[];
}
interface SegmentsNode {
  type: 'spliceSegments';
  children: SegmentNode[];
  results: string[];
}

/**
 * The tree of one translated segment: text from the translation, tags as the
 * source wrote them (`slice` gives source bytes with alt and title edits applied).
 */
function segmentTree(
  source: string,
  node: Extract<Nodes, { children: PhrasingContent[] }>,
  value: string,
  tags: TagTable,
  slice: (from: number, to: number) => string,
): SegmentNode {
  const breakEnds = new Map<PhrasingContent, number>();
  // A hard break keeps the source's line start after it: the container's indentation or `>`.
  const findBreaks = (parent: Parents) => {
    parent.children.forEach((child, index) => {
      const next = parent.children[index + 1];
      if (child.type === 'break' && next?.position) breakEnds.set(child, start(next));
      if ('children' in child) findBreaks(child);
    });
  };
  findBreaks(node);

  const root: Inline[] = [];
  const stack: Inline[][] = [root];
  const text = value.trim();
  let last = 0;
  const pushText = (raw: string) => {
    if (raw) stack.at(-1)!.push({ type: 'text', value: unescapeText(raw) });
  };
  for (const match of text.matchAll(TAG)) {
    pushText(text.slice(last, match.index));
    last = match.index + match[0].length;
    const tag = tags.get(Number(match[2]))!;
    const tagged = tag.node;
    if (match[1] === '/') {
      stack.pop();
      continue;
    }
    if (!tag.paired) {
      const isBreak = tagged.type === 'break';
      const raw = slice(start(tagged), breakEnds.get(tagged) ?? end(tagged));
      const literal = tagged.type === 'link' && source[start(tagged)] !== '<' ? tagged : undefined;
      stack.at(-1)!.push({ type: 'spliceRaw', value: raw, isBreak, literal });
      continue;
    }
    const children: Inline[] = [];
    stack.at(-1)!.push(pairedNode(source, tagged, children, slice));
    stack.push(children);
  }
  pushText(text.slice(last));
  // A hard break ends a line inside a paragraph; at either end of one it would be a stray `\`.
  while (root[0]?.type === 'spliceRaw' && root[0].isBreak) root.shift();
  while (root.at(-1)?.type === 'spliceRaw' && (root.at(-1) as RawNode).isBreak) root.pop();

  const from = start(node.children[0]!);
  const to = end(node.children.at(-1)!);
  const construct = node.type === 'tableCell' ? 'tableCell' : node.type === 'heading' ? (isSetext(source, node) ? 'headingSetext' : 'headingAtx') : 'paragraph';
  // A paragraph (and a setext heading) starts a line, whatever container prefix stands before it.
  const before = construct === 'paragraph' || construct === 'headingSetext' ? '\n' : (source[from - 1] ?? '\n');
  const after = construct === 'paragraph' || construct === 'headingSetext' ? '\n' : (source[to] ?? '\n');
  return { type: 'spliceSegment', construct, before, after, children: root };
}

const isSetext = (source: string, node: Heading) => source[start(node)] !== '#';

/** A paired tag's node, with its delimiters as the source has them. */
function pairedNode(source: string, node: PhrasingContent, children: Inline[], slice: (from: number, to: number) => string): Inline {
  switch (node.type) {
    case 'emphasis':
      return { type: 'emphasis', children, data: { marker: source[start(node)] } };
    case 'strong':
      return { type: 'strong', children, data: { marker: source[start(node)] } };
    case 'delete':
      return { type: 'delete', children, data: { size: source[start(node) + 1] === '~' ? 2 : 1 } };
    default: {
      const link = node as Link | LinkReference;
      const first = link.children[0]! as Nodes;
      const lastChild = link.children.at(-1)! as Nodes;
      const open = slice(start(link), start(first));
      // A collapsed or shortcut reference takes its label from the text: with new text, name the label as the source wrote it.
      const close =
        link.type === 'linkReference' && link.referenceType !== 'full' ? `][${source.slice(start(first), end(lastChild))}]` : slice(end(lastChild), end(link));
      return { type: 'spliceLink', open, close, children };
    }
  }
}

/**
 * Emphasis, strong and strikethrough as attention that containerPhrasing
 * pairs up: the source's marker and size first, another when the text
 * around the translation needs it to still open and close.
 */
function attention(construct: 'emphasis' | 'strong' | 'strikethrough') {
  const handle = (() => '') as unknown as Handle & { attention: unknown; peek: Handle };
  handle.attention = (node: { data?: AttentionData }) => {
    if (construct === 'strikethrough') return { construct, markers: ['~'], sizes: node.data?.size === 1 ? [1, 2] : [2, 1] };
    const markers = node.data?.marker === '_' ? ['_', '*'] : ['*', '_'];
    return { construct, markers, sizes: [construct === 'strong' ? 2 : 1] };
  };
  handle.peek = (node) => (construct === 'strikethrough' ? '~' : (node.data as AttentionData | undefined)?.marker === '_' ? '_' : '*');
  return handle;
}

/** Characters that can be markup in some place: text without them needs no escaping in any. */
const MARKUP = /[\0-\x1f!#&*+<=>[\\\]_`~|@]/;
/** Markup made of ordinary characters: a link's `](`, `www.`, `http:/`. */
const MARKUP_AROUND = /[Ww]\.[-.\w]|[ps]:\/|\]\(/;
const LINE_ENDING = /[\r\n]/;

/**
 * Whether `value` reads as itself between `before` and `after` without any
 * escape: what mdast-util-to-markdown's `safe` would find, for the common
 * case of words and punctuation, without trying its ninety patterns.
 */
function plainText(value: string, before: string, after: string): boolean {
  if (MARKUP.test(value) || MARKUP_AROUND.test(before + value + after)) return false;
  // At the start of a line only a letter is surely no list marker, heading, rule or indentation.
  if (LINE_ENDING.test(before) && !/^\p{L}/u.test(value)) return false;
  return !(LINE_ENDING.test(after) && /\s$/.test(value));
}

/** A literal autolink links only between spaces or brackets; elsewhere it is written as `<url>`. */
const LITERAL_BEFORE = /^$|[\s(*_~]/;
const LITERAL_AFTER = /^$|[\s.,:;!?"')*_~<]/;

const handlers: Options['handlers'] = {
  emphasis: attention('emphasis'),
  strong: attention('strong'),
  delete: attention('strikethrough'),
  spliceRaw(node: RawNode, _parent: Parents | undefined, state: State, info: Info) {
    if (node.literal && !(LITERAL_BEFORE.test(info.before) && LITERAL_AFTER.test(info.after))) {
      const { url } = node.literal;
      return /^(https?|mailto):/.test(url) && (node.value === url || `mailto:${node.value}` === url)
        ? `<${node.value}>`
        : `[${state.safe(node.value, { before: '[', after: ']' })}](<${url}>)`;
    }
    return node.value;
  },
  spliceLink(node: LinkNode, _parent: Parents | undefined, state: State, info: Info) {
    const exit = state.enter('link');
    const label = state.enter('label');
    const inside = state.containerPhrasing(node as never, { ...info, before: node.open.at(-1) ?? info.before, after: node.close[0] ?? info.after });
    label();
    exit();
    return node.open + inside + node.close;
  },
  text(node: Text, parent: Parents | undefined, state: State, info: Info) {
    const siblings = parent?.children ?? [];
    const index = state.indexStack.at(-1)!;
    const previous = siblings[index - 1] as unknown as Inline | undefined;
    // The text after a hard break starts a line: `#` or `1.` there must be escaped.
    const before = previous?.type === 'spliceRaw' && previous.isBreak ? '\n' : info.before;
    if (plainText(node.value, before, info.after)) return node.value;
    return state.safe(node.value, { ...info, before, afterNode: siblings[index + 1], beforeNode: siblings[index - 1] } as never);
  },
  spliceSegment(node: SegmentNode, _parent: Parents | undefined, state: State, info: Info) {
    const exit = state.enter(node.construct);
    const phrasing = state.enter('phrasing');
    const value = state.containerPhrasing(node as never, { ...info, before: node.before, after: node.after });
    phrasing();
    exit();
    return value;
  },
  spliceSegments(node: SegmentsNode, _parent: Parents | undefined, state: State, info: Info) {
    node.results = node.children.map((child) => state.handle(child, undefined, state, info));
    return '';
  },
} as never;

/** Made once: mdast-util-to-markdown compiles each escaping pattern once and keeps it on the pattern. */
const options: Options = { extensions: [gfmToMarkdown()], handlers };

/**
 * Every translated segment of a document as Markdown: most directly
 * (`plainSegment`), the others in one pass of mdast-util-to-markdown.
 */
function serializeSegments(segments: SegmentNode[]): string[] {
  const results = segments.map(plainSegment);
  const rest = segments.filter((_, index) => results[index] === undefined);
  if (rest.length === 0) return results as string[];
  const node: SegmentsNode = { type: 'spliceSegments', children: rest, results: [] };
  toMarkdown(node as never, options);
  let next = 0;
  return results.map((result) => result ?? node.results[next++]!);
}

const WORD = /[\p{L}\p{N}]/u;
const ATTENTION_MARKERS = '*_~';

/** The first character a piece of a segment is written with. */
function firstCharacter(node: Inline): string {
  switch (node.type) {
    case 'text':
    case 'spliceRaw':
      return node.value.charAt(0);
    case 'spliceLink':
      return node.open.charAt(0);
    default:
      return sequenceOf(node).charAt(0);
  }
}

const sequenceOf = (node: AttentionNode) =>
  node.type === 'delete' ? '~'.repeat(node.data.size ?? 2) : (node.data.marker === '_' ? '_' : '*').repeat(node.type === 'strong' ? 2 : 1);

/**
 * A segment written without mdast-util-to-markdown, when nothing in it needs
 * more than the source's own delimiters: text that needs no escape where it
 * stands, attention whose text starts and ends with a letter or digit (so its
 * markers open and close whatever stands around them), no raw HTML at the
 * start of a line. Undefined when a segment needs the full serializer.
 */
function plainSegment(segment: SegmentNode): string | undefined {
  const write = (children: Inline[], before: string, after: string): string | undefined => {
    let out = '';
    let previous = before;
    for (let index = 0; index < children.length; index++) {
      const child = children[index]!;
      const next = index + 1 < children.length ? firstCharacter(children[index + 1]!) : after;
      let value: string | undefined;
      if (child.type === 'text') value = plainText(child.value, previous, next) ? child.value : undefined;
      else if (child.type === 'spliceRaw') {
        const literalOk = !child.literal || (LITERAL_BEFORE.test(previous) && LITERAL_AFTER.test(next));
        value = literalOk && !(LINE_ENDING.test(previous) && child.value.startsWith('<')) ? child.value : undefined;
      } else if (child.type === 'spliceLink') {
        const inside = write(child.children, child.open.at(-1) ?? previous, child.close.charAt(0) || next);
        value = inside === undefined ? undefined : child.open + inside + child.close;
      } else {
        let sequence = sequenceOf(child);
        const inside = write(child.children, sequence, sequence);
        const edges = inside !== undefined && WORD.test(inside.charAt(0)) && WORD.test(inside.at(-1)!);
        // `_` does not open or close inside a word: there, as mdast-util-to-markdown does, `*`.
        if (sequence[0] === '_' && (WORD.test(previous) || WORD.test(next))) sequence = sequence.replace(/_/g, '*');
        const apart = (char: string) => !ATTENTION_MARKERS.includes(char || ' ');
        value = edges && apart(previous) && apart(next) ? sequence + inside + sequence : undefined;
      }
      if (value === undefined) return undefined;
      out += value;
      // The text after a hard break starts a line.
      previous = child.type === 'spliceRaw' && child.isBreak ? '\n' : (value.at(-1) ?? previous);
    }
    return out;
  };
  return write(segment.children, segment.before, segment.after);
}
