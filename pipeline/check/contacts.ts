/**
 * Contact integrity. On the source: email addresses are valid, a mailto
 * link shows the address it opens, the front-matter contact agrees with the
 * body. Per translation: every email, phone number and link target of the
 * source segment is there, none is new, and the names of the signature and
 * the contact are unchanged.
 */
import type { PhrasingContent, Root, Yaml } from 'mdast';
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';
import { toString } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';
import propose from 'propose';
import {
  addTarget,
  addText,
  emailMatches,
  emptyContacts,
  findEmails,
  isValidEmail,
  mailtoAddresses,
  phoneDigits,
  type Contacts,
  type LinkUse,
} from './find.ts';
import type { Reporter } from './report.ts';
import type { Locale, Statement } from '../types.ts';

/** Where a translation problem is reported: the locale file at the line of the key. */
export interface TranslationPlace {
  readonly file: VFile;
  readonly place?: Point;
  key: string;
  locale: Locale;
  /** The source segment, as the cause. */
  note: string;
}

/** Line and column of `contact.<field>` (or a top-level field) in the front matter. */
export function frontMatterPlace(statement: Statement, field: string): Point | undefined {
  const yaml = statement.tree.children[0]?.type === 'yaml' ? (statement.tree.children[0] as Yaml) : undefined;
  if (!yaml?.position) return undefined;
  const lines = yaml.value.split('\n');
  const inContact = field !== 'author';
  let within = !inContact;
  for (const [index, line] of lines.entries()) {
    if (inContact && /^contact\s*:/.test(line)) within = true;
    else if (inContact && within && /^\S/.test(line)) within = false;
    const match = new RegExp(`^(\\s${inContact ? '+' : '*'}${field}\\s*:\\s*)`).exec(line);
    if (within && match) return { line: yaml.position.start.line + 1 + index, column: match[1]!.length + 1 };
  }
  return yaml.position.start;
}

/** Point `offset` characters into a text node (soft line breaks followed). */
function pointIn(position: Position | undefined, value: string, offset: number): Point | undefined {
  if (!position) return undefined;
  const before = value.slice(0, offset).split('\n');
  return before.length === 1
    ? { line: position.start.line, column: position.start.column + offset }
    : { line: position.start.line + before.length - 1, column: before.at(-1)!.length + 1 };
}

/** The emails and phones the body of the source spells out or links to. */
export function bodyContacts(tree: Root): Contacts {
  const contacts = emptyContacts();
  visit(tree, (node) => {
    if (node.type === 'text') addText(contacts, node.value);
    else if (node.type === 'link' || node.type === 'definition') addTarget(contacts, node.url);
  });
  return contacts;
}

export function checkSourceContacts(statement: Statement, uses: LinkUse[], file: VFile, report: Reporter): void {
  // Email addresses are valid, wherever they are written.
  visit(statement.tree, (node) => {
    if (node.type !== 'text') return;
    for (const found of emailMatches(node.value)) {
      if (!isValidEmail(found.value))
        report(file, 'email-invalid', `Invalid email address \`${found.value}\``, pointIn(node.position, node.value, found.index));
    }
  });
  for (const use of uses) {
    if (!/^mailto:/i.test(use.url)) continue;
    const addresses = mailtoAddresses(use.url);
    if (addresses.length === 0) report(file, 'email-invalid', `Empty \`mailto:\` link, expected an email address`, use.position);
    for (const address of addresses.filter((value) => !isValidEmail(value)))
      report(file, 'email-invalid', `Invalid email address \`${address}\` in \`${use.url}\``, use.position);
    // A mailto link's text and its address agree.
    const shown = findEmails(use.text);
    const differs = shown.filter((email) => !addresses.some((address) => address.toLowerCase() === email.toLowerCase()));
    for (const email of differs)
      report(file, 'mailto-mismatch', `Link text shows \`${email}\` but opens \`${use.url}\`, expected the same address`, use.position);
  }
  // The front-matter contact agrees with the body.
  const contact = statement.frontMatter.contact;
  if (!contact) return;
  const body = bodyContacts(statement.tree);
  if (contact.email !== undefined) {
    const place = frontMatterPlace(statement, 'email');
    if (!isValidEmail(contact.email)) report(file, 'email-invalid', `Invalid email address \`${contact.email}\` in \`contact.email\``, place);
    else if (body.emails.size > 0 && ![...body.emails.keys()].some((email) => email.toLowerCase() === contact.email!.toLowerCase())) {
      report(
        file,
        'contact-mismatch',
        `Unexpected \`contact.email\` \`${contact.email}\`: the body gives ${list(body.emails)}, expected the same address`,
        place,
      );
    }
  }
  if (contact.phone !== undefined && body.phones.size > 0 && !body.phones.has(phoneDigits(contact.phone))) {
    report(
      file,
      'contact-mismatch',
      `Unexpected \`contact.phone\` \`${contact.phone}\`: the body gives ${list(body.phones)}, expected the same number`,
      frontMatterPlace(statement, 'phone'),
    );
  }
}

const list = (values: Map<string, string>) =>
  [...values.values()]
    .filter((value) => !value.includes('@') || isValidEmail(value))
    .map((value) => `\`${value}\``)
    .join(', ');

/** Compare the contacts of a translated segment with its source: missing, changed (both forms shown) or new. */
export function compareContacts(source: Contacts, translated: Contacts, at: TranslationPlace, report: Reporter): void {
  if (source.emails.size + source.phones.size + source.urls.size + translated.emails.size + translated.phones.size + translated.urls.size === 0) return;
  const families = [
    ['emails', 'email-changed', 'Email address'],
    ['phones', 'phone-changed', 'Phone number'],
    ['urls', 'link-changed', 'Link target'],
  ] as const;
  for (const [family, rule, label] of families) {
    const removed = [...source[family]].filter(([key]) => !translated[family].has(key)).map(([, shown]) => shown);
    const added = [...translated[family]].filter(([key]) => !source[family].has(key)).map(([, shown]) => shown);
    const paired = Math.min(removed.length, added.length);
    for (let index = 0; index < paired; index++) {
      report(
        at.file,
        rule,
        `${label} \`${removed[index]}\` changed to \`${added[index]}\` in the ${at.locale} translation of \`${at.key}\`, expected it unchanged`,
        at.place,
        at.note,
      );
    }
    for (const shown of removed.slice(paired))
      report(at.file, rule, `${label} \`${shown}\` is missing from the ${at.locale} translation of \`${at.key}\``, at.place, at.note);
    for (const shown of added.slice(paired))
      report(
        at.file,
        rule,
        `Unexpected ${label.toLowerCase()} \`${shown}\` in the ${at.locale} translation of \`${at.key}\`: the source has no such ${label.toLowerCase()}`,
        at.place,
        at.note,
      );
  }
}

/**
 * Names a translation must keep: the front-matter contact's, and the first
 * line of every signature (a paragraph of lines broken by hard breaks, one
 * of which gives an email address or phone number).
 */
export function protectedNames(statement: Statement): string[] {
  const names = new Set<string>();
  if (statement.frontMatter.contact?.name) names.add(statement.frontMatter.contact.name.trim());
  visit(statement.tree, (node) => {
    if (node.type !== 'paragraph' || !node.children.some((child) => child.type === 'break')) return;
    const lines: PhrasingContent[][] = [[]];
    for (const child of node.children) {
      if (child.type === 'break') lines.push([]);
      else lines.at(-1)!.push(child);
    }
    if (lines.length < 2) return;
    const reachable = lines.slice(1).some((line) => {
      const contacts = emptyContacts();
      for (const child of line) {
        if (child.type === 'link') addTarget(contacts, child.url);
        addText(contacts, toString(child));
      }
      return contacts.emails.size + contacts.phones.size > 0;
    });
    const first = lines[0]!
      .map((child) => toString(child))
      .join('')
      .trim();
    const words = first.split(/\s+/);
    if (reachable && words.length >= 1 && words.length <= 5 && /^\p{Lu}/u.test(first)) names.add(first);
  });
  return [...names].filter(Boolean);
}

/** The words of `text` closest to `name`, for a "found … instead" hint. */
function nearest(name: string, text: string): string | undefined {
  const words = text.split(/\s+/).filter(Boolean);
  const size = name.split(/\s+/).length;
  const candidates = Array.from({ length: Math.max(0, words.length - size + 1) }, (_, index) =>
    words
      .slice(index, index + size)
      .join(' ')
      .replace(/[.,;:!?]+$/, ''),
  );
  return propose(name, candidates, { threshold: 0.6, ignoreCase: true }) ?? undefined;
}

/** Each protected name in the source segment must appear, unchanged, in its translation. */
export function compareNames(names: string[], sourcePlain: string, translatedPlain: string, at: TranslationPlace, report: Reporter): void {
  for (const name of names) {
    if (!sourcePlain.includes(name) || translatedPlain.includes(name)) continue;
    const found = nearest(name, translatedPlain);
    const hint = found ? ` (found \`${found}\`)` : '';
    report(
      at.file,
      'name-changed',
      `Name \`${name}\` is changed in the ${at.locale} translation of \`${at.key}\`${hint}, expected it unchanged`,
      at.place,
      at.note,
    );
  }
}
