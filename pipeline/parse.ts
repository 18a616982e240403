/**
 * Stage 1: read a statement into an mdast tree (CommonMark + GFM + YAML front
 * matter) and validate its front matter. Every later stage, for every locale,
 * works from this one parse.
 */
import { createHash } from 'node:crypto';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import { parseDocument, isMap, isScalar, isSeq, type Document } from 'yaml';
import { VFile } from 'vfile';
import type { Root, Yaml } from 'mdast';
import type { Point } from 'unist';
import { error, PipelineError } from './diagnostics.ts';
import { isLocale, type ResolvedConfig } from './config.ts';
import type { Contact, FrontMatter, Statement } from './types.ts';

const parser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);

/** Parse Markdown (with GFM and front matter) into mdast; shared by tests and stages. */
export function parseMarkdown(text: string, file?: VFile): Root {
  return parser.runSync(parser.parse(file ?? text)) as Root;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parse and validate one statement. Throws a PipelineError whose file holds
 * every positioned problem when the statement cannot be used.
 */
export function parseStatement(
  text: string,
  options: { path: string; cwd: string; config: Pick<ResolvedConfig, 'sourceLocale' | 'locales'> },
): Statement {
  const file = new VFile({ path: options.path, cwd: options.cwd, value: text });
  const slug = file.stem ?? '';
  if (!SLUG.test(slug)) {
    error(file, `Unexpected file name \`${file.basename}\`, expected a slug of lowercase letters, digits and dashes such as \`press-statement.md\``, 'statement-slug');
  }
  const tree = parseMarkdown(text, file);
  const yaml = tree.children[0]?.type === 'yaml' ? (tree.children[0] as Yaml) : undefined;
  if (!yaml) {
    error(file, 'Missing front matter, expected a `---` block with `title`, `date` and `lang` at the top of the statement', 'front-matter', { line: 1, column: 1 });
    throw new PipelineError(file);
  }
  const frontMatter = readFrontMatter(file, yaml, options.config);
  if (!tree.children.some((node) => node.type !== 'yaml')) {
    error(file, 'The statement is empty: expected text after the front matter', 'statement-empty', yaml.position?.end);
  }
  if (file.messages.some((message) => message.fatal)) throw new PipelineError(file);
  return statementOf(file, tree, frontMatter, options.config);
}

/** The statement a validated tree and front matter make, in `file` (whose value is the statement's text). */
export function statementOf(file: VFile, tree: Root, frontMatter: FrontMatter, config: Pick<ResolvedConfig, 'locales'>): Statement {
  const targets = frontMatter.locales ?? config.locales;
  return {
    slug: file.stem ?? '',
    path: file.path,
    file,
    tree,
    frontMatter,
    locales: [...new Set([frontMatter.lang, ...targets])],
    revision: createHash('sha256').update(String(file.value)).digest('hex'),
  };
}

function readFrontMatter(file: VFile, yaml: Yaml, config: Pick<ResolvedConfig, 'sourceLocale' | 'locales'>): FrontMatter {
  // The YAML text starts on the line after the opening `---`.
  const base = { line: (yaml.position?.start.line ?? 1) + 1, offset: (yaml.position?.start.offset ?? 0) + 4 };
  const lineStarts = [0];
  for (let index = 0; index < yaml.value.length; index++) if (yaml.value[index] === '\n') lineStarts.push(index + 1);
  const place = (offset = 0): Point => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return { line: base.line + line, column: offset - lineStarts[line]! + 1, offset: base.offset + offset };
  };

  let document: Document;
  try {
    document = parseDocument(yaml.value, { uniqueKeys: true });
  } catch {
    document = parseDocument('');
  }
  for (const problem of document.errors) {
    // yaml's own "at line 1, column 17" counts inside the block; the place says it in file terms.
    const reason = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    error(file, `Invalid front matter: ${reason}`, 'front-matter', place(problem.pos[0]));
  }
  if (document.errors.length > 0) return { title: '', date: '', lang: config.sourceLocale };
  if (!isMap(document.contents)) {
    error(file, 'Unexpected front matter, expected `key: value` lines such as `title: …`', 'front-matter', place());
    return { title: '', date: '', lang: config.sourceLocale };
  }

  /** Where a field's value (or, given `item`, that item of a list value) starts. */
  const fieldPlace = (name: string, item?: string): Point => {
    const pair = (document.contents as { items: Array<{ key: unknown; value: unknown }> }).items.find(
      (entry) => isScalar(entry.key) && entry.key.value === name,
    );
    const listItem = isSeq(pair?.value) && item !== undefined ? pair.value.items.find((entry) => isScalar(entry) && entry.value === item) : undefined;
    const node = (listItem ?? (isScalar(pair?.value) ? pair?.value : pair?.key)) as { range?: [number, number, number] } | undefined;
    return place(node?.range?.[0] ?? 0);
  };
  const data = document.toJS() as Record<string, unknown>;
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
    return value;
  };

  const title = text('title', true) ?? '';
  const date = text('date', true) ?? '';
  if (date && (!DATE.test(date) || Number.isNaN(Date.parse(date)))) {
    error(file, `Unexpected date \`${date}\`, expected \`YYYY-MM-DD\``, 'front-matter', fieldPlace('date'));
  }
  const lang = text('lang', false) ?? config.sourceLocale;
  const known = (locale: string) => config.locales.includes(locale);
  if (!isLocale(lang) || !known(lang)) {
    error(file, `Unknown locale \`${lang}\` in \`lang\`, expected one of ${config.locales.map((l) => `\`${l}\``).join(', ')}`, 'unknown-locale', fieldPlace('lang'));
  }
  let locales: string[] | undefined;
  if (data.locales !== undefined) {
    if (!Array.isArray(data.locales) || !data.locales.every((value) => typeof value === 'string')) {
      error(file, 'Unexpected `locales`, expected a list such as `[nl, fr]`', 'front-matter', fieldPlace('locales'));
    } else {
      locales = data.locales as string[];
      for (const locale of locales.filter((value) => !known(value))) {
        error(file, `Unknown locale \`${locale}\` in \`locales\`, expected one of ${config.locales.map((l) => `\`${l}\``).join(', ')}`, 'unknown-locale', fieldPlace('locales', locale));
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
        else contact[field] = value[field] as string;
      }
    }
  }
  return {
    title,
    date,
    lang,
    summary: text('summary', false),
    author: text('author', false),
    contact,
    locales,
  };
}
