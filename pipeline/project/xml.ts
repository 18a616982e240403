/**
 * Writing XML (XLIFF, the Atom feed) as xast trees built with `xastscript`
 * and serialized here, escaping every value exactly as `xast-util-to-xml`
 * does (which svg.ts still uses): that library builds a regular expression
 * for every attribute it writes, which was 40% of an XLIFF export.
 */
import { x, type Attributes } from 'xastscript';
import type { Element, ElementContent, Instruction, Text } from 'xast';

/**
 * Text as the serializer should write it. It escapes `<` and `&` but not the
 * `>` of `]]>`, which no XML text may contain: that `>` goes in a CDATA section.
 */
export function textNodes(value: string): ElementContent[] {
  if (!value.includes(']]>')) return value ? [{ type: 'text', value }] : [];
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

// Characters no XML 1.0 document may contain are dropped; the others that markup needs are written as `&#x…;`.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const reference = (character: string) => `&#x${character.charCodeAt(0).toString(16).toUpperCase()};`;
const escaped = (value: string, unsafe: RegExp) => value.replace(FORBIDDEN, '').replace(unsafe, reference);
const NAME = /[\t\n "&'/<=>]/g;
const TEXT = /[&<]/g;
const ATTRIBUTE = /[<&"]/g;

function serialize(node: ElementContent | Instruction): string {
  switch (node.type) {
    case 'text':
      return escaped(node.value, TEXT);
    case 'cdata':
      return `<![CDATA[${node.value.replace(FORBIDDEN, '').replace(/]]>/g, ']]&#x3E;')}]]>`;
    case 'instruction':
      return `<?${escaped(node.name, NAME) || 'x'}${node.value ? ` ${node.value.replace(FORBIDDEN, '').replace(/\?>/g, '?&#x3E;')}` : ''}?>`;
    case 'element': {
      const name = escaped(node.name, NAME);
      let attributes = '';
      for (const [key, value] of Object.entries(node.attributes ?? {})) {
        if (value !== null && value !== undefined) attributes += ` ${escaped(key, NAME)}="${escaped(String(value), ATTRIBUTE)}"`;
      }
      let content = '';
      for (const child of node.children) content += serialize(child);
      return content ? `<${name}${attributes}>${content}</${name}>` : `<${name}${attributes}/>`;
    }
    default:
      throw new Error(`Unexpected \`${node.type}\` node in a document`);
  }
}

/** A whole document: declaration, `root`, final newline; empty elements close with `/>`. */
export function serializeDocument(root: Element, encoding = 'UTF-8'): string {
  const declaration: Instruction = { type: 'instruction', name: 'xml', value: `version="1.0" encoding="${encoding}"` };
  const newline: Text = { type: 'text', value: '\n' };
  return `${[declaration, newline, root].map(serialize).join('')}\n`;
}
