/**
 * hast to HTML: the bytes rehype-stringify (hast-util-to-html) writes with
 * its default options, at a fraction of its cost. Serializing was two fifths
 * of a page's rendering, most of it bookkeeping the pages do not need (a
 * dispatcher per node, an options object per text and per attribute, a
 * property lookup per attribute). Roots, the doctype, text and elements of
 * the HTML namespace are written here, each attribute's name and kind looked
 * up once per process; anything else (comments, SVG, templates, raw HTML,
 * none of which the sanitized body or the page shell contains) goes to
 * rehype-stringify itself. test/html-serialize.test.ts holds both to the
 * same output.
 */
import { unified } from 'unified';
import rehypeStringify from 'rehype-stringify';
import { find, html, type Info } from 'property-information';
import { htmlVoidElements } from 'html-void-elements';
import type { Element, Nodes, Properties, RootContent } from 'hast';

const fallback = unified().use(rehypeStringify, { allowDangerousHtml: false });
const voids = new Set(htmlVoidElements);

// What hast-util-to-html escapes, as hexadecimal references (`&#x3C;`), with parse errors and dangerous characters not allowed.
const TEXT = /[<&]/g;
const ATTRIBUTE_NAME = /[\0\t\n\f\r "&'/<=>`]/g;
const ATTRIBUTE_VALUE = /[\0"&'`]/g;
const reference = (character: string) => `&#x${character.charCodeAt(0).toString(16).toUpperCase()};`;

/** `node` as HTML; `parent` decides whether text is escaped (not inside `<script>` and `<style>`). */
export function serializeHtml(node: Nodes, parent?: Element): string {
  switch (node.type) {
    case 'root':
      return children(node.children);
    case 'doctype':
      return '<!doctype html>';
    case 'text':
      return parent && (parent.tagName === 'script' || parent.tagName === 'style') ? node.value : node.value.replace(TEXT, reference);
    case 'element':
      if (node.tagName !== 'svg' && node.tagName !== 'template') return element(node);
  }
  return fallback.stringify({ type: 'root', children: [node as RootContent] });
}

function children(nodes: RootContent[], parent?: Element): string {
  let out = '';
  for (const child of nodes) out += serializeHtml(child, parent);
  return out;
}

/** A void element (`<meta>`, `<br>`) without children has no end tag. */
function element(node: Element): string {
  const content = children(node.children, node);
  const start = `<${node.tagName}${attributes(node.properties)}>`;
  return voids.has(node.tagName.toLowerCase()) && !content ? start : `${start}${content}</${node.tagName}>`;
}

function attributes(properties: Properties | undefined): string {
  let out = '';
  for (const key in properties) {
    const value = properties[key];
    if (value === null || value === undefined) continue;
    const text = attribute(infoOf(key), value);
    if (text) out += ` ${text}`;
  }
  return out;
}

const infos = new Map<string, Info>();

/** The attribute a property is written as (`className` → `class`) and its kind (boolean, list). */
function infoOf(key: string): Info {
  let info = infos.get(key);
  if (!info) infos.set(key, (info = find(html, key)));
  return info;
}

/** One attribute, as hast-util-to-html writes it: booleans by name only, lists joined, values double-quoted. */
function attribute(info: Info, property: NonNullable<Properties[string]>): string {
  let value: Properties[string] = property;
  if (info.overloadedBoolean && (value === info.attribute || value === '')) value = true;
  else if ((info.boolean || info.overloadedBoolean) && (typeof value !== 'string' || value === info.attribute || value === '')) value = Boolean(value);
  if (value === false || (typeof value === 'number' && Number.isNaN(value))) return '';
  const name = info.attribute.replace(ATTRIBUTE_NAME, reference);
  if (value === true) return name;
  const text = Array.isArray(value) ? list(value, info.commaSeparated) : String(value);
  return `${name}="${text.replace(ATTRIBUTE_VALUE, reference)}"`;
}

/** Comma- or space-separated tokens; a trailing empty token is kept, as comma-separated-tokens does. */
function list(values: Array<string | number>, commaSeparated: boolean): string {
  if (!commaSeparated) return values.join(' ').trim();
  return (values.at(-1) === '' ? [...values, ''] : values).join(', ').trim();
}
