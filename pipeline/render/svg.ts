/**
 * An SVG file is a document: opened directly it can run scripts and fetch
 * URLs. It is parsed as XML (no DTD is ever read, no entity expanded), each
 * element and attribute is resolved to its namespace, whatever prefix it was
 * written with, and a new document is built from an allowlist of SVG
 * elements and attributes. The rebuilt bytes are what gets published.
 */
import { fromXml } from 'xast-util-from-xml';
import { toXml } from 'xast-util-to-xml';
import type { Element, Root } from 'xast';
import type { Point } from 'unist';
import { VFileMessage } from 'vfile-message';
import { textNodes } from '../project/index.ts';

export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';
const XLINK_NAMESPACE = 'http://www.w3.org/1999/xlink';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** Editors' own data (Inkscape, Sodipodi, Illustrator, Sketch, RDF metadata): never rendered, dropped without a word. */
const EDITOR_NAMESPACES = [
  'http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd',
  'http://www.inkscape.org/namespaces/inkscape',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  'http://creativecommons.org/ns#',
  'http://purl.org/dc/elements/1.1/',
  'http://www.bohemiancoding.com/sketch/ns',
  'http://www.serif.com/',
  'http://ns.adobe.com/',
];
const isEditorNamespace = (namespace: string | undefined) => namespace !== undefined && EDITOR_NAMESPACES.some((known) => namespace.startsWith(known));

/**
 * What a drawing needs, and nothing that runs, embeds another document or
 * animates attributes (`set`, `animate` can turn an `href` into `javascript:`).
 */
const ELEMENTS = new Set([
  'svg',
  'g',
  'defs',
  'symbol',
  'use',
  'switch',
  'a',
  'title',
  'desc',
  'style',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern',
  'clipPath',
  'mask',
  'marker',
  'filter',
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feComposite',
  'feConvolveMatrix',
  'feDiffuseLighting',
  'feDisplacementMap',
  'feDistantLight',
  'feDropShadow',
  'feFlood',
  'feFuncA',
  'feFuncB',
  'feFuncG',
  'feFuncR',
  'feGaussianBlur',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
  'fePointLight',
  'feSpecularLighting',
  'feSpotLight',
  'feTile',
  'feTurbulence',
]);

/** Attributes without a namespace: geometry, presentation, text and filter parameters. */
const ATTRIBUTES = new Set([
  'id',
  'class',
  'style',
  'lang',
  'role',
  'focusable',
  'version',
  'baseProfile',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'fx',
  'fy',
  'fr',
  'width',
  'height',
  'd',
  'points',
  'pathLength',
  'transform',
  'viewBox',
  'preserveAspectRatio',
  'gradientUnits',
  'gradientTransform',
  'spreadMethod',
  'offset',
  'stop-color',
  'stop-opacity',
  'patternUnits',
  'patternContentUnits',
  'patternTransform',
  'clipPathUnits',
  'maskUnits',
  'maskContentUnits',
  'clip-path',
  'clip-rule',
  'clip',
  'mask',
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'refX',
  'refY',
  'orient',
  'marker-start',
  'marker-mid',
  'marker-end',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-width',
  'stroke-linecap',
  'stroke-linejoin',
  'stroke-miterlimit',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-opacity',
  'opacity',
  'color',
  'display',
  'visibility',
  'overflow',
  'filter',
  'flood-color',
  'flood-opacity',
  'lighting-color',
  'color-interpolation',
  'color-interpolation-filters',
  'color-rendering',
  'shape-rendering',
  'text-rendering',
  'image-rendering',
  'vector-effect',
  'paint-order',
  'mix-blend-mode',
  'isolation',
  'transform-origin',
  'transform-box',
  'enable-background',
  'font-family',
  'font-size',
  'font-size-adjust',
  'font-stretch',
  'font-style',
  'font-variant',
  'font-weight',
  'letter-spacing',
  'word-spacing',
  'text-anchor',
  'text-decoration',
  'dominant-baseline',
  'alignment-baseline',
  'baseline-shift',
  'writing-mode',
  'direction',
  'unicode-bidi',
  'white-space',
  'dx',
  'dy',
  'rotate',
  'textLength',
  'lengthAdjust',
  'startOffset',
  'method',
  'spacing',
  'side',
  'systemLanguage',
  'type',
  'media',
  'filterUnits',
  'primitiveUnits',
  'in',
  'in2',
  'result',
  'stdDeviation',
  'mode',
  'operator',
  'k1',
  'k2',
  'k3',
  'k4',
  'values',
  'tableValues',
  'slope',
  'intercept',
  'amplitude',
  'exponent',
  'scale',
  'xChannelSelector',
  'yChannelSelector',
  'baseFrequency',
  'numOctaves',
  'seed',
  'stitchTiles',
  'radius',
  'order',
  'kernelMatrix',
  'divisor',
  'bias',
  'targetX',
  'targetY',
  'edgeMode',
  'kernelUnitLength',
  'preserveAlpha',
  'surfaceScale',
  'diffuseConstant',
  'specularConstant',
  'specularExponent',
  'azimuth',
  'elevation',
  'pointsAtX',
  'pointsAtY',
  'pointsAtZ',
  'limitingConeAngle',
  'z',
]);
const isLabel = (name: string) => /^(?:aria|data)-[a-z0-9_.-]+$/i.test(name);

/** The DTD editors and matplotlib declare; nothing reads it, so it is dropped. Any other DOCTYPE is refused. */
const SVG_PUBLIC_ID = /^-\/\/W3C\/\/DTD SVG [0-9.]+(?: (?:Basic|Tiny))?\/\/EN$/;
const SVG_SYSTEM_ID = /^https?:\/\/www\.w3\.org\/(?:Graphics\/SVG\/|TR\/2001\/REC-SVG-20010904\/)[\w./-]+\.dtd$/;

/** Deeper than any drawing: the tree walk is recursive. */
const MAX_DEPTH = 256;

/** Why an SVG cannot be made safe: `Unexpected ${unexpected} …, expected ${expected}`. */
export interface SvgRefusal {
  unexpected: string;
  expected: string;
  /** Where in the SVG file. */
  place?: Point;
}

export type SanitizedSvg =
  | { ok: true; data: Buffer; /** What was taken out, as `` `<script>` (3:5) ``, for a warning; editors' data is not listed. */ removed: string[] }
  | ({ ok: false } & SvgRefusal);

const shown = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value).replace(/`/g, "'");

/**
 * Where a style sheet or a presentation attribute would load something or
 * hide what it loads: `@import`, `url()` other than `#fragment`, `image-set()`,
 * and CSS escapes, which could spell `url(` in a way no pattern sees.
 */
export function unsafeCss(value: string): string | undefined {
  if (value.includes('\\')) return 'a CSS escape';
  const found = /@import|(?<![\w-])(?:image-set|image|src|expression)\s*\(|-moz-binding|behavior\s*:/i.exec(value);
  if (found) return `\`${found[0]}\``;
  for (const match of value.matchAll(/url\(/gi)) {
    // `url( #a )`, `url("#a")`, `url('#a')`: anything else loads a file or a page.
    const target = /^\s*(?:"([^"]*)"|'([^']*)'|([^'")\s]*))\s*\)/.exec(value.slice(match.index + 4));
    const url = target?.[1] ?? target?.[2] ?? target?.[3];
    if (url === undefined || !url.startsWith('#')) return `\`${shown(value.slice(match.index, match.index + (target?.[0].length ?? 0) + 4))}\``;
  }
  return undefined;
}

const isFragment = (value: string) => /^#[^\s]*$/.test(value.trim());
const at = (place: Point | undefined) => (place ? ` (${place.line}:${place.column})` : '');

type Scope = ReadonlyMap<string, string>;

/** The scope inside `element`: its `xmlns` and `xmlns:p` declarations over its parent's. */
function declare(element: Element, parent: Scope): Scope {
  let scope: Map<string, string> | undefined;
  for (const [name, value] of Object.entries(element.attributes)) {
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    scope ??= new Map(parent);
    scope.set(name === 'xmlns' ? '' : name.slice(6), value ?? '');
  }
  return scope ?? parent;
}

/** Namespace and local name of a qualified name; unprefixed attributes have no namespace. */
function resolve(name: string, scope: Scope, attribute: boolean): { namespace: string | undefined; local: string } {
  const colon = name.indexOf(':');
  if (colon === -1) return { namespace: attribute ? undefined : scope.get('') || undefined, local: name };
  const prefix = name.slice(0, colon);
  const local = name.slice(colon + 1);
  // An undeclared prefix resolves to a namespace nothing knows, so the node is dropped.
  return { namespace: prefix === 'xml' ? XML_NAMESPACE : (scope.get(prefix) ?? `undeclared:${prefix}`), local };
}

class Sanitizer {
  readonly removed: string[] = [];
  usesXlink = false;

  /** The allowed copy of an SVG-namespace `element`, or undefined when it is dropped. */
  element(element: Element, parent: Scope, depth: number): Element | undefined {
    const scope = declare(element, parent);
    const { namespace, local } = resolve(element.name, scope, false);
    const place = element.position?.start;
    if (namespace !== SVG_NAMESPACE) {
      if (!isEditorNamespace(namespace)) this.removed.push(`\`<${element.name}>\`${namespace ? ` in \`${namespace}\`` : ''}${at(place)}`);
      return undefined;
    }
    // Editors' metadata holds RDF, which nothing renders.
    if (local === 'metadata') return undefined;
    if (!ELEMENTS.has(local)) {
      this.removed.push(`\`<${element.name}>\`${at(place)}`);
      return undefined;
    }
    if (depth > MAX_DEPTH) throw new Refused({ unexpected: `nesting deeper than ${MAX_DEPTH} elements`, expected: 'a drawing', place });
    const copy: Element = { type: 'element', name: local, attributes: this.attributes(element, scope), children: [] };
    if (local === 'style') {
      const css = element.children.map((child) => (child.type === 'text' || child.type === 'cdata' ? child.value : '')).join('');
      const problem = unsafeCss(css);
      if (problem) {
        this.removed.push(`\`<style>\` with ${problem}${at(place)}`);
        return undefined;
      }
      copy.children = textNodes(css);
      return copy;
    }
    for (const child of element.children) {
      if (child.type === 'element') {
        const kept = this.element(child, scope, depth + 1);
        if (kept) copy.children.push(kept);
      } else if (child.type === 'text' || child.type === 'cdata') {
        copy.children.push(...textNodes(child.value));
      }
      // Comments and processing instructions are not part of the drawing.
    }
    return copy;
  }

  attributes(element: Element, scope: Scope): Element['attributes'] {
    const kept: Element['attributes'] = {};
    const place = element.position?.start;
    for (const [name, value = ''] of Object.entries(element.attributes)) {
      if (name === 'xmlns' || name.startsWith('xmlns:') || value === null) continue;
      const { namespace, local } = resolve(name, scope, true);
      const drop = (what: string) => this.removed.push(`${what} on \`<${element.name}>\`${at(place)}`);
      const isHref = local === 'href' && (namespace === undefined || namespace === XLINK_NAMESPACE);
      if (isHref) {
        if (!isFragment(value)) drop(`\`${name}\` to \`${shown(value)}\``);
        else if (namespace === XLINK_NAMESPACE) {
          kept['xlink:href'] = value.trim();
          this.usesXlink = true;
        } else kept.href = value.trim();
        continue;
      }
      let output: string | undefined;
      if (namespace === undefined && (ATTRIBUTES.has(local) || isLabel(local))) output = local;
      else if (namespace === XML_NAMESPACE && (local === 'space' || local === 'lang')) output = `xml:${local}`;
      if (output === undefined) {
        if (!isEditorNamespace(namespace)) drop(`\`${name}\``);
        continue;
      }
      const problem = unsafeCss(value);
      if (problem) {
        drop(`\`${name}\` with ${problem}`);
        continue;
      }
      kept[output] = value;
    }
    return kept;
  }
}

class Refused extends Error {
  constructor(readonly refusal: SvgRefusal) {
    super(refusal.unexpected);
  }
}

/**
 * Parse `data` as an SVG document and rebuild it from the allowlist. Refused
 * when it is not well-formed UTF-8 XML, declares a DTD of its own, or its
 * root is not `<svg>` in the SVG namespace.
 */
export function sanitizeSvg(data: Uint8Array): SanitizedSvg {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { ok: false, unexpected: 'bytes that are not UTF-8', expected: 'a UTF-8 SVG file' };
  }
  let tree: Root;
  try {
    tree = fromXml(text);
  } catch (caught) {
    if (!(caught instanceof VFileMessage)) throw caught;
    // The parser is recursive: a document nested thousands deep overflows the stack.
    if (caught.cause instanceof RangeError) return { ok: false, unexpected: 'nesting thousands of elements deep', expected: 'a drawing' };
    const cause = caught.cause instanceof Error ? caught.cause.message.split('\n')[0]!.replace(/\s*\(line \d+, column \d+\)$/, '') : caught.reason;
    return {
      ok: false,
      unexpected: `XML (${cause})`,
      expected: 'a well-formed SVG file',
      place: caught.place && 'line' in caught.place ? caught.place : undefined,
    };
  }
  const sanitizer = new Sanitizer();
  let root: Element | undefined;
  for (const node of tree.children) {
    const place = node.position?.start;
    if (node.type === 'doctype') {
      const declarations = node.position ? text.slice(node.position.start.offset, node.position.end.offset).includes('[') : true;
      const standard = node.name === 'svg' && (!node.public || SVG_PUBLIC_ID.test(node.public)) && (!node.system || SVG_SYSTEM_ID.test(node.system));
      if (declarations || !standard) {
        return {
          ok: false,
          unexpected: declarations ? '`<!DOCTYPE>` with declarations' : `\`<!DOCTYPE ${shown(node.name)}>\``,
          expected: 'no DOCTYPE or the standard SVG one: entities and external DTDs are never read',
          place,
        };
      }
    } else if (node.type === 'instruction' && node.name !== 'xml') {
      // `<?xml-stylesheet href="…"?>` would load a style sheet.
      sanitizer.removed.push(`\`<?${node.name}?>\`${at(place)}`);
    } else if (node.type === 'element') {
      const { namespace, local } = resolve(node.name, declare(node, new Map()), false);
      if (namespace !== SVG_NAMESPACE || local !== 'svg') {
        return {
          ok: false,
          unexpected: `root \`<${node.name}>\`${namespace ? ` in namespace \`${namespace}\`` : ' without namespace'}`,
          expected: `\`<svg xmlns="${SVG_NAMESPACE}">\``,
          place,
        };
      }
      try {
        root = sanitizer.element(node, new Map(), 0);
      } catch (caught) {
        if (caught instanceof Refused) return { ok: false, ...caught.refusal };
        throw caught;
      }
    }
  }
  if (!root) return { ok: false, unexpected: 'a document without elements', expected: 'an `<svg>` root element' };
  // Every kept element is in the SVG namespace, written without a prefix; only `xlink:href` needs another.
  root.attributes = { xmlns: SVG_NAMESPACE, ...(sanitizer.usesXlink ? { 'xmlns:xlink': XLINK_NAMESPACE } : {}), ...root.attributes };
  const xml = toXml({ type: 'root', children: [root] }, { closeEmptyElements: true, tightClose: true });
  return { ok: true, data: Buffer.from(`${xml}\n`, 'utf8'), removed: sanitizer.removed };
}
