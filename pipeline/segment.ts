/**
 * Split a statement tree into translatable segments, one handler per node
 * type. The same walk over a copy of the tree gives drafts whose `apply` puts
 * a translation in place, so extraction and reassembly can never disagree.
 */
import type { Nodes, Parents, PhrasingContent, Root, Yaml } from 'mdast';
import { slug } from 'github-slugger';
import { encodeInline, escapeText, plainText } from './inline.ts';
import type { FrontMatter, SegmentDraft, SegmentKind } from './types.ts';

interface Walk {
  drafts: SegmentDraft[];
  section: string;
}

const LETTER = /\p{L}/u;

/** Slug of the first words of a text: readable, short key parts. */
export function words(text: string, count = 4): string {
  return slug(plainText(text).split(' ').slice(0, count).join(' ')).slice(0, 40).replace(/-+$/, '') || 'x';
}

const textOf = (nodes: PhrasingContent[]) => nodes.map((node) => ('value' in node ? node.value : '')).join('');

/** Alt texts and link titles inside phrasing content are segments of their own. */
function attributes(nodes: PhrasingContent[], walk: Walk) {
  for (const node of nodes) {
    if ((node.type === 'image' || node.type === 'imageReference') && node.alt && LETTER.test(node.alt)) {
      walk.drafts.push({
        kind: 'image-alt',
        source: escapeText(node.alt),
        tags: new Map(),
        section: walk.section,
        position: node.position,
        apply: (value) => void (node.alt = textOf(value)),
      });
    }
    if ((node.type === 'link' || node.type === 'image') && node.title && LETTER.test(node.title)) {
      walk.drafts.push({
        kind: 'link-title',
        source: escapeText(node.title),
        tags: new Map(),
        section: walk.section,
        position: node.position,
        apply: (value) => void (node.title = textOf(value)),
      });
    }
    if ('children' in node) attributes(node.children, walk);
  }
}

/** A node with phrasing children becomes one segment when it has words to translate. */
function phrasing(node: Extract<Nodes, { children: PhrasingContent[] }>, kind: SegmentKind, walk: Walk) {
  const { text, tags } = encodeInline(node.children);
  if (LETTER.test(plainText(text))) {
    walk.drafts.push({
      kind,
      source: text,
      tags,
      section: walk.section,
      position: node.position,
      apply: (value) => void (node.children = value),
    });
  }
  attributes(node.children, walk);
}

function block(node: Nodes, parent: Parents | undefined, walk: Walk): void {
  switch (node.type) {
    case 'heading':
      walk.section = words(encodeInline(node.children).text);
      return phrasing(node, 'heading', walk);
    case 'paragraph': {
      const kind = parent?.type === 'listItem' ? 'list-item' : walk.section.startsWith('footnote-') ? 'footnote' : 'paragraph';
      return phrasing(node, kind, walk);
    }
    case 'tableCell':
      return phrasing(node, 'table-cell', walk);
    case 'footnoteDefinition': {
      const outer = walk.section;
      walk.section = `footnote-${slug(node.identifier) || 'x'}`;
      for (const child of node.children) block(child, node, walk);
      walk.section = outer;
      return;
    }
    case 'definition':
      if (node.title && LETTER.test(node.title)) {
        const definition = node;
        walk.drafts.push({
          kind: 'link-title',
          source: escapeText(node.title),
          tags: new Map(),
          section: walk.section,
          position: node.position,
          apply: (value) => void (definition.title = textOf(value)),
        });
      }
      return;
    case 'root':
    case 'blockquote':
    case 'list':
    case 'listItem':
    case 'table':
    case 'tableRow':
      for (const child of node.children) block(child, node, walk);
      return;
    default:
      // code, html, thematic breaks and front matter are never translated.
      return;
  }
}

/**
 * The segments of `tree` in document order: the front-matter title and
 * summary first, then the body. `frontMatter` is the object `apply` writes to.
 */
export function collectSegments(tree: Root, frontMatter: FrontMatter): SegmentDraft[] {
  const walk: Walk = { drafts: [], section: 'intro' };
  const yaml = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined;
  const meta = (kind: SegmentKind, value: string | undefined, apply: (text: string) => void) => {
    if (!value || !LETTER.test(value)) return;
    walk.drafts.push({ kind, source: escapeText(value), tags: new Map(), section: 'meta', position: yaml?.position, apply: (nodes) => apply(textOf(nodes)) });
  };
  meta('title', frontMatter.title, (text) => void (frontMatter.title = text));
  meta('summary', frontMatter.summary, (text) => void (frontMatter.summary = text));
  // The contact block is printed on every page and PDF: its role reads in the reader's language.
  meta('contact-role', frontMatter.contact?.role, (text) => void (frontMatter.contact = { ...frontMatter.contact, role: text }));
  block(tree, undefined, walk);
  return walk.drafts;
}
