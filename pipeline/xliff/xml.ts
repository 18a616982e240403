/**
 * Reading XLIFF as xast with `xast-util-from-xml`: a file that is not
 * well-formed is refused with the line and column of the first problem.
 * Document types are refused too: the parser reads no DTD and expands no
 * entity it declares, and an XLIFF file has no business carrying one.
 */
import { fromXml } from 'xast-util-from-xml';
import { VFileMessage } from 'vfile-message';
import type { Element, Nodes, Root } from 'xast';
import type { Point } from 'unist';

export type XmlResult = { ok: true; root: Element } | { ok: false; reason: string; place: Point };

const START: Point = { line: 1, column: 1 };

/** Where `node` starts; every node the parser gives has a position. */
export const placeOf = (node: Nodes): Point => node.position?.start ?? START;

/** Parse `text` as one XML document. */
export function parseXml(text: string): XmlResult {
  let tree: Root;
  try {
    tree = fromXml(text);
  } catch (caught) {
    if (!(caught instanceof VFileMessage)) throw caught;
    // The parser's own words are in the cause; its `(line …, column …)` and excerpt repeat the place.
    const reason = caught.cause instanceof Error ? caught.cause.message.split('\n')[0]!.replace(/\s*\(line \d+, column \d+\)$/, '') : caught.reason;
    return { ok: false, reason, place: caught.place && 'line' in caught.place ? caught.place : START };
  }
  const doctype = tree.children.find((node) => node.type === 'doctype');
  if (doctype) return { ok: false, reason: 'Unexpected document type declaration, expected none in an XLIFF file', place: placeOf(doctype) };
  // A well-formed document has exactly one root element.
  return { ok: true, root: tree.children.find((node) => node.type === 'element')! };
}

/** An attribute's value; the parser never gives `null`, the type allows it. */
export const attribute = (element: Element, name: string): string | undefined => element.attributes[name] ?? undefined;

/** The local part of a name: `xlf:unit` → `unit`. */
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** Child elements of `element`. */
export const childElements = (element: Element): Element[] => element.children.filter((child) => child.type === 'element');
