/**
 * A statement often ends with a signature ("Name\ Role\ email") that is also
 * its press contact. The contact block then gives only what the signature
 * does not, on the page and in the PDF, so no line is printed twice.
 */
import type { Root, RootContent, Paragraph, PhrasingContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Contact } from '../types.ts';

/** The lines of the last paragraph broken into lines (`\` at the ends), lowercased, spaces collapsed. */
function signatureLines(tree: Root): string[] {
  const signature = [...tree.children]
    .reverse()
    .find((node: RootContent): node is Paragraph => node.type === 'paragraph' && node.children.some((child) => child.type === 'break'));
  if (!signature) return [];
  const lines: PhrasingContent[][] = [[]];
  for (const child of signature.children) {
    if (child.type === 'break') lines.push([]);
    else lines.at(-1)!.push(child);
  }
  return lines.map((line) => toString({ type: 'paragraph', children: line }).replace(/\s+/g, ' ').trim().toLowerCase()).filter(Boolean);
}

const digits = (phone: string) => phone.replace(/\D/g, '');

/** `contact` without the fields the statement's signature already shows; undefined when nothing is left. */
export function contactBeyondSignature(contact: Contact | undefined, tree: Root): Contact | undefined {
  if (!contact) return undefined;
  const lines = signatureLines(tree);
  const shown: Record<keyof Contact, (value: string) => boolean> = {
    name: (value) => lines.includes(value.toLowerCase().trim()),
    role: (value) => lines.includes(value.toLowerCase().trim()),
    email: (value) => lines.some((line) => line.includes(value.toLowerCase())),
    phone: (value) => lines.some((line) => digits(line).length > 0 && digits(line).endsWith(digits(value).replace(/^0+/, ''))),
  };
  const left = Object.fromEntries(
    (Object.entries(contact) as Array<[keyof Contact, string | undefined]>).filter(([field, value]) => value && !shown[field](value)),
  ) as Contact;
  return Object.keys(left).length > 0 ? left : undefined;
}
