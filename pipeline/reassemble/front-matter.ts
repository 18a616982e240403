/**
 * A localized statement's front matter: the author's YAML with the
 * translated fields (title, summary, contact role) and `lang` replaced in
 * place, each in its own quoting style, so comments, order and layout stay as
 * written. YAML that cannot be edited so (and still read back as intended) is
 * written anew, fields in a fixed order.
 */
import { parseDocument, Scalar, stringify as stringifyYaml } from 'yaml';
import type { Edit } from './splice.ts';
import type { FieldSlot, FrontMatter, LocalizedField } from '../types.ts';

/** Front matter as YAML, fields in a fixed order, empty ones left out. */
export function serializeFrontMatter(frontMatter: FrontMatter): string {
  const { title, date, lang, summary, author, contact, locales } = frontMatter;
  const ordered = Object.fromEntries(Object.entries({ title, date, lang, summary, author, contact, locales }).filter(([, value]) => value !== undefined));
  return stringifyYaml(ordered, { lineWidth: 0 });
}

const valueAt = (frontMatter: FrontMatter, field: LocalizedField): unknown =>
  field.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], frontMatter);

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

/**
 * `yaml` (the text between the `---` lines) with the fields of `localized`
 * that differ from `source`, each replaced where `slots` (found when the
 * statement was parsed) says the author wrote it.
 */
export function spliceFrontMatter(yaml: string, source: FrontMatter, localized: FrontMatter, slots: Record<LocalizedField, FieldSlot>): string {
  const changed = (Object.keys(slots) as LocalizedField[]).filter((field) => valueAt(source, field) !== valueAt(localized, field));
  if (changed.length === 0) return yaml;
  const edits: Edit[] = [];
  let appended = '';
  // A field replaced as a one-line scalar in a block map reads back as written; anything else is read back to make sure.
  let unsure = false;
  for (const field of changed) {
    const value = valueAt(localized, field);
    if (typeof value !== 'string') continue;
    const slot = slots[field];
    if (typeof slot === 'object') {
      edits.push({ start: slot.start, end: slot.end, text: scalarText(value, slot.type) });
    } else if (slot === 'absent') {
      appended += `\n${field}: ${scalarText(value, Scalar.PLAIN)}`;
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
  if (!data || changed.some((field) => valueAt(data, field) !== valueAt(localized, field))) return serializeFrontMatter(localized).trimEnd();
  return out;
}
