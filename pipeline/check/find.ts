/**
 * Finders shared by the rule families: email addresses, phone numbers and
 * URLs in plain text and tagged segments, and the link targets of a tree.
 */
import type { Definition, Image, Link, Root } from 'mdast';
import type { Position } from 'unist';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import { plainText } from '../extract/index.ts';
import type { TagTable } from '../types.ts';

/** Anything shaped like `x@y`, valid or not, so invalid addresses are found too. */
const EMAIL_LIKE = /[^\s<>()[\]{}"'`,;:@]+@[^\s<>()[\]{}"'`,;:]+/g;
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** Whether `address` is a syntactically valid email address (a dotted domain, no empty parts). */
export function isValidEmail(address: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.indexOf('@') !== at) return false;
  const local = address.slice(0, at);
  const labels = address.slice(at + 1).split('.');
  return local.length <= 64 && LOCAL.test(local) && labels.length >= 2 && labels.every((label) => LABEL.test(label)) && /^[A-Za-z]{2,}$/.test(labels.at(-1)!);
}

/** Email-shaped words of a plain text with their offsets, trailing punctuation removed. */
export function emailMatches(text: string): Array<{ value: string; index: number }> {
  if (!text.includes('@')) return [];
  // A `/` before the `@` is a path (`https://x.org/@team`), not an address.
  return [...text.matchAll(EMAIL_LIKE)]
    .map((match) => ({ value: match[0].replace(/[.!?]+$/, ''), index: match.index }))
    .filter((found) => /@./.test(found.value) && !found.value.split('@')[0]!.includes('/'));
}

export const findEmails = (text: string): string[] => emailMatches(text).map((found) => found.value);

/**
 * Phone numbers: an international `+` or a trunk `0` followed by digits and
 * separators, 8 to 15 digits in all (so years, ports and ISO numbers are not).
 */
const PHONE = /(?<![\w+])(?:\+\d|\(?0)[\d \u00a0().\/-]{5,22}\d(?!\w)/g;

/**
 * The digits that identify a number: separators (spaces, dots, dashes,
 * slashes, brackets) dropped, and the national trunk `(0)` some write after
 * the country code (`+32 (0)2 …`, `+31 (0)20 …`, `+33 (0)1 …`) left out,
 * since it is not dialled from abroad.
 */
export const phoneDigits = (value: string) => value.replace(/(\+\d{1,3})[\s.\/-]*\(0\)/g, '$1').replace(/\D/g, '');

/** `01/02/2024`, `01-02-2024`, `01.02.2024`: dates, not numbers to call. */
const DATE = /^\(?\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$/;

export function findPhones(text: string): string[] {
  if (!/[+0]\d|\(0/.test(text)) return [];
  return [...text.matchAll(PHONE)]
    .map((match) => match[0].trim())
    .filter((value) => {
      const digits = phoneDigits(value).length;
      return digits >= 8 && digits <= 15 && !DATE.test(value);
    });
}

/** Bare `https://…` and `www.…` addresses typed as text. */
export function findUrls(text: string): string[] {
  if (!text.includes('http') && !text.includes('www.')) return [];
  return [...text.matchAll(/\b(?:https?:\/\/|www\.)[^\s<>"]+/g)].map((match) => {
    const url = match[0].replace(/[.,;:!?)\]]+$/, '');
    return url.startsWith('www.') ? `http://${url}` : url;
  });
}

/** The contacts a reader relies on, keyed for comparison, each with the form shown in messages. */
export interface Contacts {
  /** Address → as written. */
  emails: Map<string, string>;
  /** Digits → as written. */
  phones: Map<string, string>;
  /** Link targets other than mailto and tel. */
  urls: Map<string, string>;
}

export const emptyContacts = (): Contacts => ({ emails: new Map(), phones: new Map(), urls: new Map() });

/** Addresses of a `mailto:` URL (several may be comma-separated; the query is dropped). */
export function mailtoAddresses(url: string): string[] {
  const body = url.replace(/^mailto:/i, '').split('?')[0]!;
  return body
    .split(',')
    .map((part) => safeDecode(part.trim()))
    .filter(Boolean);
}

export function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Add a link target to `contacts`: mailto as emails, tel as phones, the rest as URLs. */
export function addTarget(contacts: Contacts, url: string): void {
  if (/^mailto:/i.test(url)) for (const address of mailtoAddresses(url)) contacts.emails.set(address, address);
  else if (/^tel:/i.test(url)) contacts.phones.set(phoneDigits(safeDecode(url.slice(4))), safeDecode(url.slice(4)));
  else contacts.urls.set(url, url);
}

/** Add what a plain text spells out: emails, phones and bare URLs. */
export function addText(contacts: Contacts, text: string): void {
  for (const email of findEmails(text)) contacts.emails.set(email, email);
  for (const phone of findPhones(text)) if (!contacts.phones.has(phoneDigits(phone))) contacts.phones.set(phoneDigits(phone), phone);
  for (const url of findUrls(text)) contacts.urls.set(url, url);
}

/** Link definitions of a tree by identifier, so `[text][ref]` resolves to its URL. */
export function definitionsOf(tree: Root): Map<string, string> {
  const definitions = new Map<string, string>();
  visit(tree, (node) => {
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
  });
  return definitions;
}

const TAG_OPEN = /<(\d+)\/?>/g;

/**
 * The contacts of a tagged segment: the targets of the tags it uses (looked
 * up in the source's tag table) and what its plain text spells out. Used on
 * the source and, with the same tag table, on a translation as written.
 */
export function segmentContacts(text: string, tags: TagTable, definitions: Map<string, string>): Contacts {
  const contacts = emptyContacts();
  for (const match of text.matchAll(TAG_OPEN)) {
    const node = tags.get(Number(match[1]))?.node;
    if (!node) continue;
    if (node.type === 'link' || node.type === 'image') addTarget(contacts, node.url);
    else if (node.type === 'linkReference' || node.type === 'imageReference') {
      const url = definitions.get(node.identifier);
      if (url !== undefined) addTarget(contacts, url);
    }
  }
  addText(contacts, plainText(text));
  return contacts;
}

/** A link target as it appears in a tree. */
export interface LinkUse {
  url: string;
  kind: 'link' | 'image' | 'definition';
  /** Visible text of a link, alt of an image, label of a definition. */
  text: string;
  position?: Position;
  node: Link | Image | Definition;
}

/** Every link, image and definition target of a tree, in document order. */
export function collectLinks(tree: Root): LinkUse[] {
  const uses: LinkUse[] = [];
  visit(tree, (node) => {
    if (node.type === 'link') uses.push({ url: node.url, kind: 'link', text: toString(node), position: node.position, node });
    else if (node.type === 'image') uses.push({ url: node.url, kind: 'image', text: node.alt ?? '', position: node.position, node });
    else if (node.type === 'definition') uses.push({ url: node.url, kind: 'definition', text: node.label ?? node.identifier, position: node.position, node });
  });
  return uses;
}

/** The link, image and definition targets of a tree, sorted: what must be equal in every locale. */
export function linkTargets(tree: Root): string[] {
  const targets: string[] = [];
  visit(tree, (node) => {
    if (node.type === 'link' || node.type === 'image' || node.type === 'definition') targets.push(node.url);
  });
  return targets.sort();
}
