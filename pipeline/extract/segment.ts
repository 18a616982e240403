/**
 * Split a statement tree into translatable segments, one handler per node
 * type; `placeSegment` says, per kind, where a segment's translation goes.
 */
import type { Definition, Image, ImageReference, Link, Nodes, Parents, PhrasingContent, Root, Yaml } from 'mdast';
import type { Position } from 'unist';
import { slug } from 'github-slugger';
import { encodeInline, escapeText, plainText } from './inline.ts';
import type { FrontMatter, SegmentDraft, SegmentKind } from '../types.ts';

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

/**
 * A plain-text segment (alt text, title, front-matter field): no tags, and
 * only when it has words to translate.
 */
function textSegment(walk: Walk, kind: SegmentKind, value: string | undefined, node: Nodes | undefined, position: Position | undefined) {
  if (!value || !LETTER.test(value)) return;
  walk.drafts.push({ kind, source: escapeText(value), tags: new Map(), section: walk.section, position, node });
}

/** Alt texts and link titles inside phrasing content are segments of their own. */
function attributes(nodes: PhrasingContent[], walk: Walk) {
  for (const node of nodes) {
    if (node.type === 'image' || node.type === 'imageReference') textSegment(walk, 'image-alt', node.alt ?? undefined, node, node.position);
    if (node.type === 'link' || node.type === 'image') textSegment(walk, 'link-title', node.title ?? undefined, node, node.position);
    if ('children' in node) attributes(node.children, walk);
  }
}

/** A node with phrasing children becomes one segment when it has words to translate. */
function phrasing(node: Extract<Nodes, { children: PhrasingContent[] }>, kind: SegmentKind, walk: Walk) {
  const { text, tags } = encodeInline(node.children);
  if (LETTER.test(plainText(text))) {
    walk.drafts.push({ kind, source: text, tags, section: walk.section, position: node.position, node });
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
      return textSegment(walk, 'link-title', node.title ?? undefined, node, node.position);
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
 * The segments of `tree` in document order: the front-matter title,
 * summary and contact role first, then the body.
 */
export function collectSegments(tree: Root, frontMatter: FrontMatter): SegmentDraft[] {
  const walk: Walk = { drafts: [], section: 'meta' };
  const yaml = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined;
  textSegment(walk, 'title', frontMatter.title, undefined, yaml?.position);
  textSegment(walk, 'summary', frontMatter.summary, undefined, yaml?.position);
  // The contact block is printed on every page and PDF: its role reads in the reader's language.
  textSegment(walk, 'contact-role', frontMatter.contact?.role, undefined, yaml?.position);
  walk.section = 'intro';
  block(tree, undefined, walk);
  return walk.drafts;
}

/**
 * Put a segment's decoded translation where its kind of text lives: in
 * `node` (the segment's node, or its copy in a localized tree) or in
 * `frontMatter`.
 */
export function placeSegment(kind: SegmentKind, node: Nodes | undefined, frontMatter: FrontMatter, value: PhrasingContent[]): void {
  switch (kind) {
    case 'title':
      frontMatter.title = textOf(value);
      return;
    case 'summary':
      frontMatter.summary = textOf(value);
      return;
    case 'contact-role':
      frontMatter.contact = { ...frontMatter.contact, role: textOf(value) };
      return;
    case 'image-alt':
      (node as Image | ImageReference).alt = textOf(value);
      return;
    case 'link-title':
      (node as Link | Image | Definition).title = textOf(value);
      return;
    default:
      (node as Extract<Nodes, { children: PhrasingContent[] }>).children = value;
  }
}
