/**
 * Inline codes: our numbered tags (`meet certain <1>requirements</1>.`) ⇄
 * XLIFF inline elements, so that CAT tools show and protect them.
 * 2.0: `<pc id="1">…</pc>` for paired tags, `<ph id="2"/>` for atomic ones;
 * 1.2: `<g id="1">…</g>` and `<x id="2"/>`. Tools that split a paired code
 * write `<sc/>…<ec/>` (2.0) or `<bx/>…<ex/>` (1.2); both are read too.
 * What a code stands for (a link's address, the code or HTML it replaces) is
 * 2.0 `disp` on placeholders and 1.2 `equiv-text`, so translators see it.
 */
import { x } from 'xastscript';
import type { Element, ElementContent } from 'xast';
import type { Point } from 'unist';
import { escapeText, unescapeText } from '../extract/index.ts';
import { textNodes } from '../project/index.ts';
import { attribute, localName, placeOf } from './xml.ts';
import type { Tag, TagTable } from '../types.ts';

export type XliffVersion = '2.0' | '1.2';

export type Token = { type: 'text'; value: string } | { type: 'open' | 'close' | 'atom'; id: number };

const TAG = /<(\/?)(\d+)(\/?)>/g;

/** Our tagged text as tokens; the text is unescaped. */
export function tokenize(tagged: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  const text = (raw: string) => raw && tokens.push({ type: 'text', value: unescapeText(raw) });
  for (const match of tagged.matchAll(TAG)) {
    text(tagged.slice(last, match.index));
    last = match.index + match[0].length;
    const id = Number(match[2]);
    tokens.push({ type: match[1] ? 'close' : match[3] ? 'atom' : 'open', id });
  }
  text(tagged.slice(last));
  return tokens;
}

/** Tokens back to our tagged text. */
export function detokenize(tokens: Token[]): string {
  return tokens.map((token) => (token.type === 'text' ? escapeText(token.value) : token.type === 'open' ? `<${token.id}>` : token.type === 'close' ? `</${token.id}>` : `<${token.id}/>`)).join('');
}

/** Two tagged texts that mean the same (escapes written differently, outer white space). */
export const sameText = (a: string, b: string) => detokenize(tokenize(a.trim())) === detokenize(tokenize(b.trim()));

/**
 * XLIFF 2.0 `type`/`subType` and 1.2 `ctype` of a code, so tools can show it as bold, a link…
 * 1.2 strict allows `bold`, `italic`, `underlined`, `link` on paired codes and
 * only `image`, `pb`, `lb` on placeholders; anything else is an `x-` value.
 */
function codeType(tag: Tag | undefined, version: XliffVersion, atomic = false): Record<string, string> {
  const node = tag?.node;
  const type = node?.type;
  if (version === '1.2') {
    if (!type) return {};
    const ctypes: Record<string, string> = atomic
      ? { image: 'image', imageReference: 'image', break: 'lb', link: node.type === 'link' && node.url.startsWith('mailto:') ? 'x-email' : 'x-link', linkReference: 'x-link' }
      : { strong: 'bold', emphasis: 'italic', link: 'link', linkReference: 'link' };
    return { ctype: ctypes[type] ?? `x-${type}` };
  }
  if (type === 'strong') return { type: 'fmt', subType: 'xlf:b' };
  if (type === 'emphasis') return { type: 'fmt', subType: 'xlf:i' };
  if (type === 'break') return { type: 'fmt', subType: 'xlf:lb' };
  if (type === 'link' || type === 'linkReference') return { type: 'link' };
  if (type === 'image' || type === 'imageReference') return { type: 'image' };
  return type ? { type: 'fmt' } : {};
}

/** What an atomic code stands for, shown by tools instead of a bare number. */
function display(tag: Tag | undefined): string | undefined {
  const node = tag?.node;
  if (!node) return undefined;
  const value = node.type === 'link' ? node.url : node.type === 'inlineCode' || node.type === 'html' ? node.value : node.type === 'break' ? '↵' : node.type === 'image' ? node.alt || node.url : '';
  // Readers turn line breaks in an attribute into spaces; written as spaces, the file stays one unit per few lines.
  return value.replace(/[\t\r\n]/g, ' ') || undefined;
}

/**
 * Tokens as XLIFF inline content; undefined when the codes do not nest (a
 * broken translation cannot be written as XML and is left out).
 */
export function toXliffInline(tokens: Token[], tags: TagTable, version: XliffVersion): ElementContent[] | undefined {
  // The content being filled: the outermost, or that of each open paired code.
  const stack: Array<{ id?: number; children: ElementContent[] }> = [{ children: [] }];
  for (const token of tokens) {
    const current = stack.at(-1)!;
    if (token.type === 'text') current.children.push(...textNodes(token.value));
    else if (token.type === 'open') {
      const tag = tags.get(token.id);
      const code = version === '2.0' ? x('pc', { id: token.id, ...codeType(tag, version) }) : x('g', { id: token.id, ...codeType(tag, version), 'equiv-text': display(tag) });
      current.children.push(code);
      stack.push({ id: token.id, children: code.children });
    } else if (token.type === 'close') {
      if (current.id !== token.id) return undefined;
      stack.pop();
    } else {
      const tag = tags.get(token.id);
      current.children.push(version === '2.0' ? x('ph', { id: token.id, ...codeType(tag, version), disp: display(tag) }) : x('x', { id: token.id, ...codeType(tag, version, true), 'equiv-text': display(tag) ?? tag?.node.type }));
    }
  }
  return stack.length === 1 ? stack[0]!.children : undefined;
}

export type InlineResult = { ok: true; tokens: Token[] } | { ok: false; reason: string; place: Point };

const PAIRED = new Set(['pc', 'g']);
const ATOMIC = new Set(['ph', 'x', 'it']);
const START = new Set(['sc', 'bx', 'bpt']);
const END = new Set(['ec', 'ex', 'ept']);
/** Markers CAT tools add around text (segmentation, annotations): their content is kept. */
const TRANSPARENT = new Set(['mrk']);
/** Empty markers whose only meaning is for the tool. */
const IGNORED = new Set(['sm', 'em', 'sub']);

/**
 * Read the inline content of a `<source>` or `<target>` as tokens. Codes map
 * back to our numbers through their `id` (for end codes, `startRef`/`rid`).
 */
export function fromXliffInline(element: Element): InlineResult {
  const tokens: Token[] = [];
  const starts = new Map<string, number>();
  const number = (value: string | undefined, node: Element): number => {
    if (value === undefined || !/^\d+$/.test(value)) throw Object.assign(new Error(`Unexpected inline code \`<${node.name}>\` without a numeric \`id\`, expected the ids of the source's codes`), { place: placeOf(node) });
    return Number(value);
  };
  const walk = (nodes: ElementContent[]) => {
    for (const node of nodes) {
      if (node.type === 'text' || node.type === 'cdata') {
        const last = tokens.at(-1);
        if (last?.type === 'text') last.value += node.value;
        else tokens.push({ type: 'text', value: node.value });
        continue;
      }
      if (node.type !== 'element') continue; // comments and processing instructions
      const name = localName(node.name);
      if (node.name.includes(':') && !node.name.startsWith('xlf:')) continue; // another tool's extension
      if (PAIRED.has(name)) {
        const id = number(attribute(node, 'id'), node);
        tokens.push({ type: 'open', id });
        walk(node.children);
        tokens.push({ type: 'close', id });
      } else if (ATOMIC.has(name)) {
        tokens.push({ type: 'atom', id: number(attribute(node, 'id'), node) });
      } else if (START.has(name)) {
        const id = number(attribute(node, 'id'), node);
        starts.set(attribute(node, 'rid') ?? attribute(node, 'id') ?? '', id);
        tokens.push({ type: 'open', id });
      } else if (END.has(name)) {
        const reference = attribute(node, 'startRef') ?? attribute(node, 'rid') ?? attribute(node, 'id');
        tokens.push({ type: 'close', id: starts.get(reference ?? '') ?? number(reference, node) });
      } else if (TRANSPARENT.has(name)) {
        walk(node.children);
      } else if (!IGNORED.has(name)) {
        throw Object.assign(new Error(`Unexpected \`<${node.name}>\` in \`<${element.name}>\`, expected text or inline codes (\`<pc>\`, \`<ph>\`, \`<g>\`, \`<x/>\`)`), { place: placeOf(node) });
      }
    }
  };
  try {
    walk(element.children);
  } catch (caught) {
    const { message, place } = caught as Error & { place?: Point };
    if (!place) throw caught;
    return { ok: false, reason: message, place };
  }
  return { ok: true, tokens };
}
