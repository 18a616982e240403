/**
 * The inline codec: phrasing content ⇄ text with numbered tags in the style of
 * react-i18next's `Trans` (`meet certain <1>requirements</1>.`). Translators
 * reorder and reword around tags; URLs, code and HTML stay in the tag table.
 */
import type { PhrasingContent, Text } from 'mdast';
import type { Tag, TagTable } from '../types.ts';

const TAG = /<(\/?)(\d+)(\/?)>/g;
const LOOKS_LIKE_TAG = /<(?=\/?\d+\/?>)/g;
const LOOKS_LIKE_ENTITY = /&(?=lt;|amp;)/g;

/** Escape text so that it cannot be read back as a tag. */
export function escapeText(value: string): string {
  return value.replace(LOOKS_LIKE_ENTITY, '&amp;').replace(LOOKS_LIKE_TAG, '&lt;');
}

export function unescapeText(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&amp;/g, '&');
}

/** Autolinks (`<https://…>`, bare URLs and emails) show their URL: atomic. */
function isAutolink(node: PhrasingContent): boolean {
  if (node.type !== 'link') return false;
  if (node.children.length === 0) return true;
  const only = node.children.length === 1 ? node.children[0] : undefined;
  return only?.type === 'text' && (only.value === node.url || `mailto:${only.value}` === node.url || `http://${only.value}` === node.url);
}

function isPaired(node: PhrasingContent): node is Extract<PhrasingContent, { children: PhrasingContent[] }> {
  return (
    (node.type === 'emphasis' || node.type === 'strong' || node.type === 'delete' || node.type === 'link' || node.type === 'linkReference') && !isAutolink(node)
  );
}

/** Encode phrasing content as tagged text; numbering is document order from 1. */
export function encodeInline(children: PhrasingContent[]): { text: string; tags: TagTable } {
  const tags: TagTable = new Map();
  const walk = (nodes: PhrasingContent[]): string => {
    let out = '';
    for (const node of nodes) {
      if (node.type === 'text') {
        // Soft line breaks are layout, not content: translators see one line.
        out += escapeText(node.value.replace(/[ \t]*\n[ \t]*/g, ' '));
        continue;
      }
      const id = tags.size + 1;
      if (isPaired(node)) {
        tags.set(id, { paired: true, node });
        out += `<${id}>${walk(node.children)}</${id}>`;
      } else {
        tags.set(id, { paired: false, node });
        out += `<${id}/>`;
      }
    }
    return out;
  };
  return { text: walk(children), tags };
}

/** Plain words of a tagged string, tags dropped: for keys, counts and similarity. */
export function plainText(tagged: string): string {
  return unescapeText(tagged.replace(TAG, ' ')).replace(/\s+/g, ' ').trim();
}

export type DecodeResult = { ok: true; nodes: PhrasingContent[] } | { ok: false; problems: string[] };

const show = (id: number, tag: Tag) => (tag.paired ? `<${id}>…</${id}>` : `<${id}/>`);
const describe = (tag: Tag) => (tag.node.type === 'linkReference' ? 'link' : tag.node.type === 'inlineCode' ? 'code' : tag.node.type);

const isLink = (node?: PhrasingContent) => node?.type === 'link' || node?.type === 'linkReference';

/** Add the translation's text `raw` to `children`, joined to a text before it. */
function appendText(children: PhrasingContent[], raw: string): void {
  if (!raw) return;
  const previous = children.at(-1);
  const value = unescapeText(raw);
  if (previous?.type === 'text') previous.value += value;
  else children.push({ type: 'text', value } satisfies Text);
}

/**
 * Decode a translation against the source's tag table. Every tag must appear
 * once, in its own form, properly nested: a mismatch is reported, never
 * repaired by dropping markup.
 */
export function decodeInline(value: string, tags: TagTable): DecodeResult {
  const problems: string[] = [];
  const seen = new Set<number>();
  type Frame = { id: number; tag?: Tag; children: PhrasingContent[] };
  const stack: Frame[] = [{ id: 0, children: [] }];
  const text = value.trim();
  let last = 0;

  for (const match of text.matchAll(TAG)) {
    appendText(stack.at(-1)!.children, text.slice(last, match.index));
    last = match.index + match[0].length;
    const closing = match[1] === '/';
    const selfClosing = match[3] === '/';
    const id = Number(match[2]);
    const tag = tags.get(id);
    if (closing && selfClosing) {
      problems.push(`Unexpected \`${match[0]}\`, expected \`<${id}/>\` or \`</${id}>\``);
      continue;
    }
    if (closing) {
      const open = stack.at(-1)!;
      if (open.id === id) {
        stack.pop();
        const node = open.tag!.node as Extract<PhrasingContent, { children: PhrasingContent[] }>;
        node.children = open.children as typeof node.children;
        stack.at(-1)!.children.push(node);
        if (open.children.length === 0) problems.push(`Tag \`<${id}>\` is empty, expected text between \`<${id}>\` and \`</${id}>\``);
      } else if (open.id === 0) {
        problems.push(`Unexpected closing tag \`</${id}>\` with no \`<${id}>\` before it`);
      } else {
        problems.push(`Unexpected closing tag \`</${id}>\`, expected \`</${open.id}>\``);
      }
      continue;
    }
    if (!tag) {
      problems.push(
        `Unexpected tag \`${match[0]}\`: the source has ${tags.size === 0 ? 'no tags' : `tags ${[...tags.keys()].map((n) => `\`${n}\``).join(', ')}`}`,
      );
      continue;
    }
    if (seen.has(id)) {
      problems.push(`Tag \`${show(id, tag)}\` appears more than once, expected it once`);
      continue;
    }
    seen.add(id);
    if (tag.paired && selfClosing) {
      problems.push(`Unexpected \`<${id}/>\`, expected \`<${id}>…</${id}>\` around the ${describe(tag)} text`);
      continue;
    }
    if (!tag.paired && !selfClosing) {
      problems.push(`Unexpected \`<${id}>\`, expected the self-closing \`<${id}/>\` (${describe(tag)})`);
      continue;
    }
    if (!tag.paired) {
      stack.at(-1)!.children.push(tag.node);
      continue;
    }
    if (isLink(tag.node) && stack.some((frame) => isLink(frame.tag?.node))) {
      problems.push(`Tag \`<${id}>\` is a link inside another link, which Markdown cannot express`);
    }
    stack.push({ id, tag, children: [] });
  }
  appendText(stack.at(-1)!.children, text.slice(last));
  for (const open of stack.slice(1)) problems.push(`Tag \`<${open.id}>\` is not closed, expected \`</${open.id}>\``);
  for (const [id, tag] of tags) {
    if (!seen.has(id)) problems.push(`Missing tag \`${show(id, tag)}\` (${describe(tag)}), expected it once`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, nodes: stack[0]!.children };
}
