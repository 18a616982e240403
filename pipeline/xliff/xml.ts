/**
 * The XML that XLIFF needs, read strictly and with positions: elements,
 * attributes, text, CDATA, comments and processing instructions. A file that
 * is not well-formed is refused with the line and column of the first
 * problem. Document types are refused too (no entity expansion, no XXE).
 */
import type { Point } from 'unist';

export interface XmlText {
  type: 'text';
  value: string;
  start: Point;
}

export interface XmlElement {
  type: 'element';
  /** The name as written, with its prefix (`sdl:seg`). */
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  start: Point;
}

export type XmlNode = XmlText | XmlElement;

export type XmlResult = { ok: true; root: XmlElement } | { ok: false; reason: string; place: Point };

const NAME = /[A-Za-z_:\u00C0-\uFFFF][\w.\-:\u00B7-\uFFFF]*/y;
const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class XmlSyntaxError extends Error {
  constructor(
    reason: string,
    readonly offset: number,
  ) {
    super(reason);
  }
}

/** Line and column of offsets in `text`. */
function locator(text: string): (offset: number) => Point {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - starts[low]! + 1, offset };
  };
}

/** Parse `text` as one XML document. */
export function parseXml(text: string): XmlResult {
  const point = locator(text);
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (reason: string, at = index): never => {
    throw new XmlSyntaxError(reason, at);
  };
  const describe = () => (index >= text.length ? 'end of file' : `\`${text[index]}\``);
  const space = () => {
    for (let code = text.charCodeAt(index); code === 32 || code === 9 || code === 10 || code === 13; code = text.charCodeAt(++index));
  };
  const name = (): string => {
    NAME.lastIndex = index;
    const match = NAME.exec(text);
    if (!match) fail(`Unexpected ${describe()}, expected a name`);
    index += match![0].length;
    return match![0];
  };
  const until = (end: string, what: string): string => {
    const stop = text.indexOf(end, index);
    if (stop === -1) fail(`Unexpected end of file in ${what}, expected \`${end}\``);
    const value = text.slice(index, stop);
    index = stop + end.length;
    return value;
  };
  const decode = (raw: string, offset: number): string =>
    raw.replace(/&([^;&<\s]*);?/g, (whole, entity: string, at: number) => {
      if (!whole.endsWith(';')) fail('Unexpected `&`, expected an entity such as `&amp;`', offset + at);
      if (entity in ENTITIES) return ENTITIES[entity]!;
      const code = /^#x[0-9a-fA-F]+$/.test(entity) ? parseInt(entity.slice(2), 16) : /^#\d+$/.test(entity) ? parseInt(entity.slice(1), 10) : NaN;
      if (Number.isNaN(code)) fail(`Unknown entity \`&${entity};\`, expected one of \`&lt;\`, \`&gt;\`, \`&amp;\`, \`&quot;\`, \`&apos;\``, offset + at);
      if (code > 0x10ffff || code === 0) fail(`Invalid character reference \`&${entity};\``, offset + at);
      return String.fromCodePoint(code);
    });
  /** Comments, processing instructions and (refused) document types. */
  const misc = (): boolean => {
    if (text.startsWith('<!--', index)) {
      index += 4;
      const body = until('-->', 'a comment');
      if (body.includes('--')) fail('Unexpected `--` inside a comment', index - 3 - body.length + body.indexOf('--'));
      return true;
    }
    if (text.startsWith('<?', index)) {
      index += 2;
      until('?>', 'a processing instruction');
      return true;
    }
    if (text.startsWith('<!DOCTYPE', index)) fail('Unexpected document type declaration, expected none in an XLIFF file');
    return false;
  };

  const element = (): XmlElement => {
    const start = point(index);
    index++; // <
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = index;
      space();
      if (text.startsWith('/>', index)) {
        index += 2;
        return { type: 'element', name: tag, attributes, children: [], start };
      }
      if (text[index] === '>') {
        index++;
        break;
      }
      if (before === index) fail(`Unexpected ${describe()}, expected white space, \`>\` or \`/>\` in \`<${tag}>\``);
      const attributeAt = index;
      const attribute = name();
      space();
      if (text[index] !== '=') fail(`Unexpected ${describe()}, expected \`=\` after attribute \`${attribute}\``);
      index++;
      space();
      const quote = text[index];
      if (quote !== '"' && quote !== "'") fail(`Unexpected ${describe()}, expected a quoted value for attribute \`${attribute}\``);
      index++;
      const valueAt = index;
      const raw = until(quote!, `the value of attribute \`${attribute}\``);
      if (raw.includes('<')) fail(`Unexpected \`<\` in the value of attribute \`${attribute}\`, expected \`&lt;\``, valueAt + raw.indexOf('<'));
      if (attribute in attributes) fail(`Duplicate attribute \`${attribute}\` in \`<${tag}>\``, attributeAt);
      attributes[attribute] = decode(raw, valueAt).replace(/[\t\r\n]/g, ' ');
    }
    const children: XmlNode[] = [];
    const pushText = (value: string, at: number) => {
      if (!value) return;
      const last = children.at(-1);
      if (last?.type === 'text') last.value += value;
      else children.push({ type: 'text', value, start: point(at) });
    };
    for (;;) {
      if (index >= text.length) fail(`Unexpected end of file, expected \`</${tag}>\` to close the \`<${tag}>\` on line ${start.line}`);
      if (text.startsWith('</', index)) {
        const closeAt = index;
        index += 2;
        const closing = name();
        space();
        if (text[index] !== '>') fail(`Unexpected ${describe()}, expected \`>\``);
        index++;
        if (closing !== tag) fail(`Unexpected \`</${closing}>\`, expected \`</${tag}>\` to close the \`<${tag}>\` on line ${start.line}`, closeAt);
        return { type: 'element', name: tag, attributes, children, start };
      }
      if (text.startsWith('<![CDATA[', index)) {
        const at = index;
        index += 9;
        pushText(until(']]>', 'a CDATA section'), at);
        continue;
      }
      if (misc()) continue;
      if (text[index] === '<') {
        children.push(element());
        continue;
      }
      const at = index;
      const stop = text.indexOf('<', index);
      const raw = text.slice(index, stop === -1 ? text.length : stop);
      index += raw.length;
      if (raw.includes(']]>')) fail('Unexpected `]]>` in text, expected `]]&gt;`', at + raw.indexOf(']]>'));
      pushText(decode(raw, at), at);
    }
  };

  try {
    for (;;) {
      space();
      if (!misc()) break;
    }
    if (text[index] !== '<') fail(index >= text.length ? 'The file is empty, expected an XML document' : `Unexpected ${describe()}, expected \`<\` to start the document`);
    const root = element();
    for (;;) {
      space();
      if (!misc()) break;
    }
    if (index < text.length) fail(`Unexpected ${describe()} after the end of the root element`);
    return { ok: true, root };
  } catch (caught) {
    if (!(caught instanceof XmlSyntaxError)) throw caught;
    return { ok: false, reason: caught.message, place: point(caught.offset) };
  }
}

/** Escape text content. */
export function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escape an attribute value (double-quoted). */
export function escapeAttribute(value: string): string {
  return escapeXml(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** The local part of a name: `xlf:unit` → `unit`. */
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Child elements of `element`, optionally only those named `name` (no prefix). */
export function childElements(element: XmlElement, name?: string): XmlElement[] {
  return element.children.filter((child): child is XmlElement => child.type === 'element' && (name === undefined || child.name === name));
}

/** The text content of an element, descendants included. */
export function textContent(node: XmlNode): string {
  return node.type === 'text' ? node.value : node.children.map(textContent).join('');
}
