/**
 * Writing XML (XLIFF, the Atom feed) as xast trees built with `xastscript`
 * and serialized by `xast-util-to-xml`, which escapes every value.
 */
import { toXml } from 'xast-util-to-xml';
import { x, type Attributes } from 'xastscript';
import type { Element, ElementContent } from 'xast';

/**
 * Text as the serializer should write it. It escapes `<` and `&` but not the
 * `>` of `]]>`, which no XML text may contain: that `>` goes in a CDATA section.
 */
export function textNodes(value: string): ElementContent[] {
  return value
    .split(/(?<=\]\])>/)
    .flatMap((part, index): ElementContent[] => [
      ...(index > 0 ? [{ type: 'cdata', value: '>' } as const] : []),
      ...(part ? [{ type: 'text', value: part } as const] : []),
    ]);
}

/**
 * An element whose `children` each go on their own line, one level deeper
 * than the element (at `depth`): white space written as text nodes, so the
 * file stays readable and its diffs line by line.
 */
export function block(name: string, attributes: Attributes, depth: number, children: Element[]): Element {
  return x(name, attributes, [...children.flatMap((child) => [`\n${'  '.repeat(depth + 1)}`, child]), `\n${'  '.repeat(depth)}`]);
}

/** A whole document: declaration, `root`, final newline; empty elements close with `/>`. */
export function serializeDocument(root: Element, encoding = 'UTF-8'): string {
  const xml = toXml([{ type: 'instruction', name: 'xml', value: `version="1.0" encoding="${encoding}"` }, { type: 'text', value: '\n' }, root], {
    closeEmptyElements: true,
    tightClose: true,
  });
  return `${xml}\n`;
}
