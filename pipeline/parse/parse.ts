/**
 * Stage 1: read a statement into an mdast tree (CommonMark + GFM + YAML front
 * matter) and validate its front matter. Every later stage, for every locale,
 * works from this one parse.
 */
import { hash } from 'node:crypto';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfmLookahead from './gfm-lookahead.ts';
import { parseDocument, isMap, isScalar, isSeq, visit, type Document, type Node as YamlNode } from 'yaml';
import { VFile } from 'vfile';
import { location } from 'vfile-location';
import type { Root, Yaml } from 'mdast';
import type { Point } from 'unist';
import { error, PipelineError } from '../diagnostics.ts';
import { DEFAULT_LIMITS, isLocale, type ResolvedConfig } from '../config.ts';
import { deepestNode, scanNesting, type DepthProblem } from './limits.ts';
import { readSimpleYaml, type SimpleYaml } from './simple-yaml.ts';
import { forbiddenCharacter } from '../project/index.ts';
import type { Contact, FieldSlot, FrontMatter, LocalizedField, Statement } from '../types.ts';

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).use(remarkGfmLookahead);

/**
 * Parse Markdown (with GFM and front matter) into mdast; shared by tests and
 * stages. Text nested deeper than `depth` gives an empty tree (and an error
 * on `file`): it is never parsed further.
 */
export function parseMarkdown(text: string, file?: VFile, depth = DEFAULT_LIMITS.depth): Root {
  return parseWithin(text, file, depth) ?? { type: 'root', children: [] };
}

/**
 * The tree of `text`, or undefined when it nests deeper than `depth`: bounded
 * by a linear scan before parsing (micromark is slow on deep nesting), then
 * exactly on the tree before the transforms, which recurse once per level.
 */
function parseWithin(text: string, file: VFile | undefined, depth: number): Root | undefined {
  const refuse = (problem: DepthProblem) => {
    if (file) error(file, `${problem.what} nested more than ${depth} deep (limit \`limits.depth\`)`, 'nesting-depth', problem.place);
    return undefined;
  };
  const early = scanNesting(text, depth);
  if (early) return refuse(early);
  const tree = parser.parse(file ?? text) as Root;
  const deep = deepestNode(tree, depth);
  if (deep) return refuse(deep);
  return parser.runSync(tree) as Root;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Whether `name` can be a statement's file name and URL: lowercase letters, digits and single dashes. */
export const isSlug = (name: string) => SLUG.test(name);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Characters that make HTML, XML and PDF output invalid or misleading; tab and newline are text. */

/** Whether `YYYY-MM-DD` names a day that exists: `2024-02-30` would silently become 1 March. */
function isRealDate(date: string): boolean {
  const [, year, month, day] = DATE.exec(date)?.map(Number) ?? [];
  if (year === undefined || month === undefined || day === undefined) return false;
  const time = new Date(Date.UTC(year, month - 1, day));
  return time.getUTCFullYear() === year && time.getUTCMonth() === month - 1 && time.getUTCDate() === day;
}

/**
 * Parse and validate one statement. Throws a PipelineError whose file holds
 * every positioned problem when the statement cannot be used.
 */
export function parseStatement(
  text: string,
  options: { path: string; cwd: string; config: Pick<ResolvedConfig, 'sourceLocale' | 'locales' | 'limits'> },
): Statement {
  const file = new VFile({ path: options.path, cwd: options.cwd, value: text });
  const slug = file.stem ?? '';
  if (!isSlug(slug)) {
    error(
      file,
      `Unexpected file name \`${file.basename}\`, expected a slug of lowercase letters, digits and dashes such as \`press-statement.md\``,
      'statement-slug',
    );
  }
  const tree = parseWithin(text, file, options.config.limits.depth);
  if (!tree) throw new PipelineError(file);
  const yaml = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined;
  if (!yaml) {
    error(file, 'Missing front matter, expected a `---` block with `title`, `date` and `lang` at the top of the statement', 'front-matter', {
      line: 1,
      column: 1,
    });
    throw new PipelineError(file);
  }
  const { frontMatter, fieldSlots } = readFrontMatter(file, yaml, options.config);
  reportForbiddenCharacters(file, text, yaml.position?.end.offset ?? 0);
  if (!tree.children.some((node) => node.type !== 'yaml')) {
    error(file, 'The statement is empty: expected text after the front matter', 'statement-empty', yaml.position?.end);
  }
  if (file.messages.some((message) => message.fatal)) throw new PipelineError(file);
  return statementOf(file, tree, frontMatter, fieldSlots, options.config);
}

/** At most this many forbidden characters are reported: one is enough to refuse the statement, a few show the pattern. */
const CHARACTER_REPORTS = 10;

/**
 * Control characters and non-characters in the body (the front matter's are
 * reported per field): extract would carry them into the source bundle, and
 * from there into HTML, XML and PDF.
 */
function reportForbiddenCharacters(file: VFile, text: string, from: number): void {
  const at = location(file);
  for (let index = from, count = 0; count < CHARACTER_REPORTS; count++) {
    const found = forbiddenCharacter(text.slice(index));
    if (!found) return;
    index += found.index;
    error(
      file,
      `Unexpected ${found.control ? 'control character' : 'non-character'} ${found.name} in the text, expected text: remove it`,
      'control-character',
      at.toPoint(index),
    );
    index += 1;
  }
}

/** The statement a validated tree and front matter make, in `file` (whose value is the statement's text). */
export function statementOf(
  file: VFile,
  tree: Root,
  frontMatter: FrontMatter,
  fieldSlots: Statement['fieldSlots'],
  config: Pick<ResolvedConfig, 'locales'>,
): Statement {
  const targets = frontMatter.locales ?? config.locales;
  return {
    slug: file.stem ?? '',
    path: file.path,
    file,
    tree,
    frontMatter,
    fieldSlots,
    locales: [...new Set([frontMatter.lang, ...targets])],
    revision: hash('sha256', String(file.value), 'hex'),
  };
}

const LOCALIZED_FIELDS: LocalizedField[] = ['title', 'summary', 'contact.role', 'lang'];

/** What reading the front matter needs of its YAML: the values, and where each is written. */
interface ParsedYaml {
  data: Record<string, unknown>;
  /** The scalar at `path` (`['contact', 'role']`), and whether it is a value of a block mapping. */
  scalarAt(path: string[]): { range: [number, number]; type?: Extract<FieldSlot, object>['type']; inBlock: boolean } | undefined;
  /** Where the value at `path` is written, whatever it is. */
  rangeAt(path: string[]): [number, number] | undefined;
  /** Where top-level `name`'s value starts when it is a scalar, else its key; given `item`, that item of a list value. */
  fieldOffset(name: string, item?: string): number | undefined;
  /** Whether top-level `name` has a value, of whatever kind. */
  has(name: string): boolean;
}

/** `yaml`'s document, as `ParsedYaml`; `data` is its `toJS()`. */
function documentYaml(document: Document, data: Record<string, unknown>): ParsedYaml {
  const pairs = (document.contents as { items: Array<{ key: unknown; value: unknown }> }).items;
  return {
    data,
    scalarAt(path) {
      const node = document.getIn(path, true);
      const parent = path.length > 1 ? document.getIn(path.slice(0, -1), true) : document.contents;
      if (!isScalar(node) || !node.range) return undefined;
      return { range: [node.range[0], node.range[1]], type: node.type as Extract<FieldSlot, object>['type'], inBlock: isMap(parent) && !parent.flow };
    },
    rangeAt(path) {
      const range = (document.getIn(path, true) as YamlNode | undefined)?.range;
      return range ? [range[0], range[1]] : undefined;
    },
    fieldOffset(name, item) {
      const pair = pairs.find((entry) => isScalar(entry.key) && entry.key.value === name);
      const listItem = isSeq(pair?.value) && item !== undefined ? pair.value.items.find((entry) => isScalar(entry) && entry.value === item) : undefined;
      const node = (listItem ?? (isScalar(pair?.value) ? pair?.value : pair?.key)) as { range?: [number, number, number] } | undefined;
      return node?.range?.[0];
    },
    has: (name) => document.getIn([name], true) !== undefined,
  };
}

/** `readSimpleYaml`'s answer, as `ParsedYaml`. */
function simpleYaml({ data, scalars, keys }: SimpleYaml): ParsedYaml {
  return {
    data,
    scalarAt(path) {
      const found = scalars.get(path.join('.'));
      return found && { range: found.range, type: found.type, inBlock: true };
    },
    rangeAt: (path) => scalars.get(path.join('.'))?.range,
    fieldOffset: (name) => scalars.get(name)?.range[0] ?? keys.get(name),
    has: (name) => keys.has(name),
  };
}

/**
 * The YAML of a statement's front matter, read by `readSimpleYaml` when it
 * can and by `yaml` otherwise; undefined, with the reasons on `file`, when
 * it is not a mapping that can be read.
 */
function parseFrontMatterYaml(
  file: VFile,
  text: string,
  place: (offset?: number) => Point,
  limits: Pick<ResolvedConfig['limits'], 'yamlAliases'>,
): ParsedYaml | undefined {
  const simple = readSimpleYaml(text);
  if (simple) return simpleYaml(simple);
  let document: Document;
  try {
    document = parseDocument(text, { uniqueKeys: true });
  } catch {
    document = parseDocument('');
  }
  for (const problem of document.errors) {
    // yaml's own "at line 1, column 17" counts inside the block; the place says it in file terms.
    const reason = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    error(file, `Invalid front matter: ${reason}`, 'front-matter', place(problem.pos[0]));
  }
  if (document.errors.length > 0) return undefined;
  if (!isMap(document.contents)) {
    error(file, 'Unexpected front matter, expected `key: value` lines such as `title: …`', 'front-matter', place());
    return undefined;
  }
  try {
    // yaml counts every alias use, expanded: a "billion laughs" block stops here instead of filling the memory.
    return documentYaml(document, document.toJS({ maxAliasCount: limits.yamlAliases }) as Record<string, unknown>);
  } catch (caught) {
    let alias: YamlNode | undefined;
    visit(document, { Alias: (_, node) => void (alias ??= node) });
    const reason = /alias count/i.test((caught as Error).message)
      ? `Front matter aliases expand to more than ${limits.yamlAliases} values (limit \`limits.yamlAliases\`)`
      : `Invalid front matter: ${(caught as Error).message}`;
    error(file, reason, 'front-matter', place(alias?.range?.[0]));
    return undefined;
  }
}

/** Where the YAML writes each localized field (see `FieldSlot`). */
function fieldSlots(parsed: ParsedYaml): Statement['fieldSlots'] {
  const slotOf = (field: LocalizedField): FieldSlot => {
    const path = field.split('.');
    const found = parsed.scalarAt(path);
    if (found?.inBlock) return { start: found.range[0], end: found.range[1], type: found.type };
    return path.length === 1 && !parsed.has(field) ? 'absent' : 'other';
  };
  return Object.fromEntries(LOCALIZED_FIELDS.map((field) => [field, slotOf(field)])) as Statement['fieldSlots'];
}

/** Where nothing can be placed: the statement is refused, its front matter unread. */
const NO_SLOTS = Object.fromEntries(LOCALIZED_FIELDS.map((field) => [field, 'other'])) as Statement['fieldSlots'];

function readFrontMatter(
  file: VFile,
  yaml: Yaml,
  config: Pick<ResolvedConfig, 'sourceLocale' | 'locales' | 'limits'>,
): { frontMatter: FrontMatter; fieldSlots: Statement['fieldSlots'] } {
  const refused = { frontMatter: { title: '', date: '', lang: config.sourceLocale }, fieldSlots: NO_SLOTS };
  // The YAML text starts on the line after the opening `---`; yaml counts offsets inside it.
  const at = location(file);
  const start = String(file.value).indexOf('\n', yaml.position?.start.offset ?? 0) + 1;
  const place = (offset = 0): Point => at.toPoint(start + offset) ?? { line: 1, column: 1 };
  const parsed = parseFrontMatterYaml(file, yaml.value, place, config.limits);
  if (!parsed) return refused;
  const { data } = parsed;
  /** Where a field's value (or, given `item`, that item of a list value) starts. */
  const fieldPlace = (name: string, item?: string): Point => place(parsed.fieldOffset(name, item) ?? 0);
  /** Refuse control characters in a text field, at the character when it is written as itself. */
  const plainText = (path: string[], value: string): string | undefined => {
    const control = forbiddenCharacter(value);
    if (!control) return value;
    const range = parsed.rangeAt(path);
    const raw = range ? yaml.value.indexOf(value[control.index]!, range[0]) : -1;
    error(
      file,
      `Unexpected ${control.control ? 'control character' : 'non-character'} ${control.name} in \`${path.join('.')}\`, expected text`,
      'control-character',
      place(range && raw >= 0 && raw < range[1] ? raw : range?.[0]),
    );
    return undefined;
  };
  const text = (name: string, required: boolean): string | undefined => {
    const value = data[name];
    if (value === undefined || value === null) {
      if (required) error(file, `Missing \`${name}\` in front matter`, 'front-matter', place());
      return undefined;
    }
    if (typeof value !== 'string' || value.trim() === '') {
      error(file, `Unexpected \`${name}\`, expected text`, 'front-matter', fieldPlace(name));
      return undefined;
    }
    return plainText([name], value);
  };

  const title = text('title', true) ?? '';
  const date = text('date', true) ?? '';
  if (date && !isRealDate(date)) {
    const reason = DATE.test(date)
      ? `Unexpected date \`${date}\`: there is no such day, expected a real date as \`YYYY-MM-DD\``
      : `Unexpected date \`${date}\`, expected \`YYYY-MM-DD\``;
    error(file, reason, 'front-matter', fieldPlace('date'));
  }
  const lang = text('lang', false) ?? config.sourceLocale;
  const known = (locale: string) => config.locales.includes(locale);
  if (!isLocale(lang) || !known(lang)) {
    error(
      file,
      `Unknown locale \`${lang}\` in \`lang\`, expected one of ${config.locales.map((l) => `\`${l}\``).join(', ')}`,
      'unknown-locale',
      fieldPlace('lang'),
    );
  }
  let locales: string[] | undefined;
  if (data.locales !== undefined) {
    if (!Array.isArray(data.locales) || !data.locales.every((value) => typeof value === 'string')) {
      error(file, 'Unexpected `locales`, expected a list such as `[nl, fr]`', 'front-matter', fieldPlace('locales'));
    } else {
      locales = data.locales as string[];
      for (const locale of locales.filter((value) => !known(value))) {
        error(
          file,
          `Unknown locale \`${locale}\` in \`locales\`, expected one of ${config.locales.map((l) => `\`${l}\``).join(', ')}`,
          'unknown-locale',
          fieldPlace('locales', locale),
        );
      }
    }
  }
  let contact: Contact | undefined;
  if (data.contact !== undefined) {
    const value = data.contact as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      error(file, 'Unexpected `contact`, expected `name`, `role`, `email` and `phone` fields', 'front-matter', fieldPlace('contact'));
    } else {
      contact = {};
      for (const field of ['name', 'role', 'email', 'phone'] as const) {
        if (value[field] === undefined) continue;
        if (typeof value[field] !== 'string') error(file, `Unexpected \`contact.${field}\`, expected text`, 'front-matter', fieldPlace('contact'));
        else {
          const clean = plainText(['contact', field], value[field] as string);
          if (clean !== undefined) contact[field] = clean;
        }
      }
    }
  }
  return {
    frontMatter: { title, date, lang, summary: text('summary', false), author: text('author', false), contact, locales },
    fieldSlots: fieldSlots(parsed),
  };
}
