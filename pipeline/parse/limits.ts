/**
 * Limits on a statement's text, checked before anything recursive sees it.
 * micromark's list and emphasis handling grows faster than linearly with
 * nesting, and the mdast transforms and `JSON.stringify` recurse once per
 * level, so a hostile statement would stop the whole run (minutes of parsing,
 * a stack overflow) before any check could point at it.
 */
import type { Nodes, Root } from 'mdast';
import type { Point } from 'unist';

/** What went deeper than the limit, and where it did. */
export interface DepthProblem {
  what: string;
  place: Point;
}

/** The nodes that make a level of nesting; paragraphs, lists and the like belong to their parent's level. */
const NESTING = new Set<Nodes['type']>(['blockquote', 'listItem', 'footnoteDefinition', 'emphasis', 'strong', 'delete', 'link', 'linkReference']);

/** The first node nested more than `limit` deep, found without recursion. */
export function deepestNode(tree: Root, limit: number): DepthProblem | undefined {
  const stack: Array<[Nodes, number]> = [[tree, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const level = depth + (NESTING.has(node.type) ? 1 : 0);
    if (level > limit) return { what: 'Block quotes, lists, emphasis and links are', place: node.position?.start ?? { line: 1, column: 1 } };
    if ('children' in node) for (const child of node.children) stack.push([child, level]);
  }
  return undefined;
}

const LINE_ENDING = /\r\n|\r|\n/g;
const SPACE = /^\s$/u;
const PUNCTUATION = /^[\p{P}\p{S}]$/u;

/**
 * Where the front matter's closing `---` line starts, by the rule
 * remark-frontmatter follows (a `---` first line, closed by a later `---`
 * line); -1 when the statement has none, so that all of it is scanned as Markdown.
 */
function frontMatterEnd(text: string): number {
  const open = /^---[ \t]*(\r\n|\r|\n)/.exec(text);
  if (!open) return -1;
  const close = /(?:\r\n|\r|\n)---[ \t]*(?:\r\n|\r|\n|$)/g;
  close.lastIndex = open[0].length - open[1]!.length;
  const match = close.exec(text);
  return match ? match.index + (/^\r\n/.test(match[0]) ? 2 : 1) : -1;
}

/** The point at `index` of the line `line` that starts at offset `start`. */
const pointOf = (line: number, start: number, index: number): Point => ({ line, column: index - start + 1, offset: index });

/**
 * The first place where `text` may nest deeper than `limit`, found in one
 * linear pass without parsing. The bounds err on the high side only: a
 * container opened on a line needs a `>`, a list marker, or (for each list
 * item it continues) two columns of indentation before its marker on that
 * line; emphasis and links nest no deeper than the delimiters left open in
 * their paragraph; YAML no deeper than its indentation, `-` markers and open
 * brackets. A real statement stays far below any of these.
 */
export function scanNesting(text: string, limit: number): DepthProblem | undefined {
  const yamlEnd = frontMatterEnd(text);
  const inline = new InlineScan(limit);
  let flow = 0;
  let line = 1;
  let start = 0;
  for (;;) {
    LINE_ENDING.lastIndex = start;
    const ending = LINE_ENDING.exec(text);
    const end = ending ? ending.index : text.length;
    if (start <= yamlEnd) {
      let index = start;
      let depth = 0;
      // Each level of block YAML takes an indentation column or a `- ` / `? ` indicator.
      for (; index < end; index++) {
        const indicator = (text[index] === '-' || text[index] === '?') && (index + 1 === end || text[index + 1] === ' ' || text[index + 1] === '\t');
        if (!indicator && text[index] !== ' ' && text[index] !== '\t') break;
        depth += text[index] === '\t' ? 4 : 1;
      }
      if (depth > limit) return { what: 'The front matter is', place: pointOf(line, start, start) };
      for (; index < end; index++) {
        if (text[index] === '[' || text[index] === '{') flow++;
        else if ((text[index] === ']' || text[index] === '}') && flow > 0) flow--;
        if (depth + flow > limit) return { what: 'The front matter is', place: pointOf(line, start, index) };
      }
    } else {
      const prefix = containerPrefix(text, start, end, limit);
      if (prefix.over !== undefined) return { what: 'Block quotes and lists are', place: pointOf(line, start, prefix.over) };
      // A blank line (inside its block quotes) ends the paragraph and its open delimiters.
      if (prefix.content === end && prefix.markers === 0) inline.reset();
      const deep = inline.scan(text, prefix.content, end);
      if (deep !== undefined) return { what: 'Emphasis and links are', place: pointOf(line, start, deep) };
    }
    if (!ending) return undefined;
    start = end + ending[0].length;
    line++;
  }
}

/**
 * The block quote and list markers that start the line `text[start, end)`:
 * how many list markers, where the line's content begins, and the first
 * marker that may lie deeper than `limit`.
 */
function containerPrefix(text: string, start: number, end: number, limit: number) {
  let index = start;
  let markers = 0;
  let quotes = 0;
  let spaces = 0;
  for (;;) {
    let whitespace = 0;
    while (index < end && (text[index] === ' ' || text[index] === '\t')) whitespace += text[index++] === '\t' ? 4 : 1;
    const after = containerMarker(text, index, end);
    if (after === undefined) break;
    // Indentation continues the list items of earlier lines; after a list marker, the line is inside a new one.
    if (markers === 0) spaces += whitespace;
    if (text[index] === '>') quotes++;
    else markers++;
    // Each list item continued from an earlier line takes at least two columns of indentation.
    if (quotes + markers + Math.floor(spaces / 2) > limit) return { markers, content: index, over: index };
    index = after;
  }
  return { markers, content: index, over: undefined };
}

/** Whether `at` ends the line or holds a space or a tab. */
const spaceAt = (text: string, at: number, end: number) => at === end || text[at] === ' ' || text[at] === '\t';

/** Where a block quote marker, list marker or footnote definition label at `index` ends, if there is one. */
function containerMarker(text: string, index: number, end: number): number | undefined {
  const char = text[index];
  // The one space after `>` belongs to the marker.
  if (char === '>') return text[index + 1] === ' ' || text[index + 1] === '\t' ? index + 2 : index + 1;
  if ((char === '-' || char === '*' || char === '+') && spaceAt(text, index + 1, end)) return index + 1;
  let digits = index;
  while (digits < end && digits - index < 10 && text[digits]! >= '0' && text[digits]! <= '9') digits++;
  if (digits > index && digits - index <= 9 && (text[digits] === '.' || text[digits] === ')') && spaceAt(text, digits + 1, end)) return digits + 1;
  if (char === '[' && text[index + 1] === '^') {
    for (let close = index + 2; close < end && close - index < 1000; close++) {
      if (text[close] === ']') return text[close + 1] === ':' ? close + 2 : undefined;
      if (text[close] === '[' || text[close] === ' ') return undefined;
    }
  }
  return undefined;
}

/**
 * The delimiters left open in the current paragraph, matched the way
 * CommonMark matches them (flanking runs; a `]` drops what its link text left
 * open), but without the rules that only ever match fewer.
 */
class InlineScan {
  #stack: Array<{ char: string; count: number }> = [];
  #open = new Map<string, number>();
  #total = 0;
  constructor(readonly limit: number) {}

  reset(): void {
    this.#stack = [];
    this.#open.clear();
    this.#total = 0;
  }

  /** Scan `text[start, end)`; the index where the open delimiters first exceed the limit, if they do. */
  scan(text: string, start: number, end: number): number | undefined {
    for (let index = start; index < end; index++) {
      const at = index;
      const char = text[index]!;
      if (char === '\\') index++;
      else if (char === '[') this.#push('[', 1);
      else if (char === ']') this.#close('[', 1);
      else if (char === '*' || char === '_' || char === '~') {
        let run = index;
        while (run < end && text[run] === char) run++;
        const before = index > start ? text[index - 1]! : ' ';
        const after = run < end ? text[run]! : ' ';
        const left = !SPACE.test(after) && (!PUNCTUATION.test(after) || SPACE.test(before) || PUNCTUATION.test(before));
        const right = !SPACE.test(before) && (!PUNCTUATION.test(before) || SPACE.test(after) || PUNCTUATION.test(after));
        const canOpen = char === '_' ? left && (!right || PUNCTUATION.test(before)) : left;
        const canClose = char === '_' ? right && (!left || PUNCTUATION.test(after)) : right;
        const unmatched = canClose ? this.#close(char, run - index) : run - index;
        if (canOpen && unmatched > 0) this.#push(char, unmatched);
        index = run - 1;
      }
      if (this.#total > this.limit) return at;
    }
    return undefined;
  }

  #push(char: string, count: number): void {
    this.#stack.push({ char, count });
    this.#open.set(char, (this.#open.get(char) ?? 0) + count);
    this.#total += count;
  }

  /** Close up to `count` open `char`s, dropping what was opened after them; returns how many were not matched. */
  #close(char: string, count: number): number {
    if (!this.#open.get(char)) return count;
    while (count > 0 && this.#open.get(char)) {
      const top = this.#stack[this.#stack.length - 1]!;
      const taken = top.char === char ? Math.min(count, top.count) : top.count;
      if (top.char === char) count -= taken;
      top.count -= taken;
      this.#open.set(top.char, this.#open.get(top.char)! - taken);
      this.#total -= taken;
      if (top.count === 0) this.#stack.pop();
    }
    return count;
  }
}
