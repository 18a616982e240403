/**
 * A localized statement's front matter: the author's YAML with the
 * translated fields (title, summary, contact role) and `lang` replaced in
 * place, each in its own quoting style, so comments, order and layout stay as
 * written. YAML that cannot be edited so (and still read back as intended) is
 * written anew, fields in a fixed order.
 */
import { type Document, isMap, isScalar, parseDocument, Scalar, stringify as stringifyYaml } from 'yaml';
import type { Edit } from './splice.ts';
import type { FrontMatter } from '../types.ts';

/** Front matter as YAML, fields in a fixed order, empty ones left out. */
export function serializeFrontMatter(frontMatter: FrontMatter): string {
  const { title, date, lang, summary, author, contact, locales } = frontMatter;
  const ordered = Object.fromEntries(Object.entries({ title, date, lang, summary, author, contact, locales }).filter(([, value]) => value !== undefined));
  return stringifyYaml(ordered, { lineWidth: 0 });
}

const FIELDS = [['title'], ['summary'], ['contact', 'role'], ['lang']] as const;

const valueAt = (frontMatter: FrontMatter, path: readonly string[]): unknown =>
  path.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], frontMatter);

/** Plain scalars that YAML reads as this very string: words and light punctuation, no `: `, ` #`, keyword or number. */
const PLAIN = /^\p{L}[\p{L}\p{N} ,.()'’\-]*$/u;
const KEYWORD = /^(?:true|false|null|yes|no|on|off|y|n)$/i;

/** `value` as a one-line YAML scalar in the source's style (`title: Word`, `"…"`, `'…'`); block scalars become double-quoted. */
function scalarText(value: string, type: Scalar['type']): string {
  if (type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (type === Scalar.PLAIN && PLAIN.test(value) && !KEYWORD.test(value) && !value.endsWith(' ')) return value;
  if (type === Scalar.PLAIN) return stringifyYaml(value, { lineWidth: 0 }).trimEnd();
  // JSON strings are YAML double-quoted scalars.
  return JSON.stringify(value);
}

let last: { yaml: string; document: Document } | undefined;

/** The parsed source YAML; kept for the next call, which is usually the same statement in its next locale. */
function sourceDocument(yaml: string): Document {
  if (last?.yaml !== yaml) last = { yaml, document: parseDocument(yaml) };
  return last.document;
}

/** `yaml` (the text between the `---` lines) with the fields of `localized` that differ from `source`. */
export function spliceFrontMatter(yaml: string, source: FrontMatter, localized: FrontMatter): string {
  const changed = FIELDS.filter((path) => valueAt(source, path) !== valueAt(localized, path));
  if (changed.length === 0) return yaml;
  const document = sourceDocument(yaml);
  if (document.errors.length > 0 || !isMap(document.contents)) return serializeFrontMatter(localized).trimEnd();
  const edits: Edit[] = [];
  let appended = '';
  // A field replaced as a one-line scalar in a block map reads back as written; anything else is read back to make sure.
  let unsure = false;
  for (const path of changed) {
    const value = valueAt(localized, path);
    if (typeof value !== 'string') continue;
    const node = document.getIn(path, true);
    const parent = path.length > 1 ? document.getIn(path.slice(0, -1), true) : document.contents;
    if (isScalar(node) && node.range && isMap(parent) && !parent.flow) {
      edits.push({ start: node.range[0], end: node.range[1], text: scalarText(value, node.type) });
    } else if (path.length === 1 && node === undefined) {
      appended += `\n${path[0]}: ${scalarText(value, Scalar.PLAIN)}`;
      unsure = true;
    } else unsure = true;
  }
  edits.sort((a, b) => b.start - a.start);
  let out = yaml;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  out += appended;
  if (!unsure) return out;
  // Read back: a field that did not land where intended (flow maps, aliases, odd layouts) means writing the YAML anew.
  const check = parseDocument(out);
  const data = check.errors.length === 0 ? (check.toJS() as FrontMatter | null) : null;
  if (!data || changed.some((path) => valueAt(data, path) !== valueAt(localized, path))) return serializeFrontMatter(localized).trimEnd();
  return out;
}
