/**
 * A localized statement's front matter: the author's YAML with the
 * translated fields (title, summary, contact role) and `lang` replaced in
 * place, each in its own quoting style, so comments, order and layout stay as
 * written. YAML that cannot be edited so (and still read back as intended) is
 * written anew, fields in a fixed order.
 */
import { isMap, isScalar, parseDocument, Scalar, stringify as stringifyYaml } from 'yaml';
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

/** `yaml` (the text between the `---` lines) with the fields of `localized` that differ from `source`. */
export function spliceFrontMatter(yaml: string, source: FrontMatter, localized: FrontMatter): string {
  const changed = FIELDS.filter((path) => valueAt(source, path) !== valueAt(localized, path));
  if (changed.length === 0) return yaml;
  const document = parseDocument(yaml, { keepSourceTokens: false });
  if (document.errors.length > 0 || !isMap(document.contents)) return serializeFrontMatter(localized).trimEnd();
  const edits: Edit[] = [];
  let appended = '';
  for (const path of changed) {
    const value = valueAt(localized, path);
    if (typeof value !== 'string') continue;
    const node = document.getIn(path, true);
    if (isScalar(node) && node.range) {
      // Block scalars (`|`, `>`) span lines: a one-line translation goes in double quotes.
      const type = node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL ? Scalar.QUOTE_DOUBLE : node.type;
      const text = stringifyYaml(value, { defaultStringType: type ?? Scalar.PLAIN, lineWidth: 0 }).trimEnd();
      edits.push({ start: node.range[0], end: node.range[1], text });
    } else if (path.length === 1 && node === undefined) {
      appended += `\n${path[0]}: ${stringifyYaml(value, { lineWidth: 0 }).trimEnd()}`;
    }
  }
  edits.sort((a, b) => b.start - a.start);
  let out = yaml;
  for (const edit of edits) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  out += appended;
  // Read back: a field that did not land where intended (flow maps, anchors, odd layouts) means writing the YAML anew.
  const check = parseDocument(out);
  const data = check.errors.length === 0 ? (check.toJS() as FrontMatter | null) : null;
  if (!data || changed.some((path) => valueAt(data, path) !== valueAt(localized, path))) return serializeFrontMatter(localized).trimEnd();
  return out;
}
