/**
 * Parsed statements kept between runs (`.cache/trees/<slug>.json`). Extract
 * parses a statement once; build, check, status and xliff read its tree back,
 * about twenty times cheaper than parsing the Markdown again, for as long as
 * the text, the settings that validate it and the pipeline are unchanged.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { VFile } from 'vfile';
import type { Root } from 'mdast';
import type { Literal, Node, Parent } from 'unist';
import { HashCache, markWriting, type StatementEntry, TOOL } from '../project/index.ts';
import { parseStatement, statementOf } from './parse.ts';
import type { ResolvedConfig } from '../config.ts';
import { PipelineError, type Diagnostics } from '../diagnostics.ts';
import type { FrontMatter, Statement } from '../types.ts';

interface ParsedRecord {
  key: string;
  /** The tree with each position packed (`packPositions`). */
  tree: Root;
  frontMatter: FrontMatter;
  fieldSlots: Statement['fieldSlots'];
}

/**
 * `[line, column, offset, line, column, offset]`, and a seventh item, 1, when
 * the node's `value` is the source text of that range and was left empty.
 */
type PackedPosition = [number, number, number, number, number, number, 1?];

/**
 * A copy of `node` with positions as six numbers, and an empty `value` for
 * a node whose value is its own source text (most text nodes): positions and
 * such values are most of a tree's JSON (a record shrinks from about 24 to
 * 11 KB), which extract writes and every later command reads back. Lines and
 * columns are kept, not derived from offsets: micromark counts a tab to its
 * tab stop in some constructs. The emptied `value` keeps its place, so a
 * node read back has the same shape as a parsed one: code that walks trees
 * stays as fast as V8 made it for one shape. A record written in another
 * format is never read: its key holds `TOOL`, the hash of this code.
 */
function packPositions(node: Node, text: string): unknown {
  const packed: Record<string, unknown> = {};
  const { start, end } = node.position ?? {};
  const sourceValue =
    start?.offset !== undefined &&
    end?.offset !== undefined &&
    typeof (node as Literal).value === 'string' &&
    text.slice(start.offset, end.offset) === (node as Literal).value;
  for (const [name, value] of Object.entries(node)) {
    if (name === 'children') packed.children = (value as Node[]).map((child) => packPositions(child, text));
    else if (name === 'position' && start && end) {
      const position = [start.line, start.column, start.offset, end.line, end.column, end.offset];
      if (sourceValue) position.push(1);
      packed.position = position;
    } else packed[name] = name === 'value' && sourceValue ? '' : value;
  }
  return packed;
}

/** `packPositions` undone, in place. */
function unpackPositions(node: Node, text: string): void {
  const packed = node.position as unknown as PackedPosition | undefined;
  if (packed) {
    node.position = { start: { line: packed[0], column: packed[1], offset: packed[2] }, end: { line: packed[3], column: packed[4], offset: packed[5] } };
    if (packed[6] === 1) (node as Literal).value = text.slice(packed[2], packed[5]);
  }
  const children = (node as Parent).children;
  if (children) for (const child of children) unpackPositions(child, text);
}

/**
 * `parseStatement`, answered from the cache when it can be. A statement that
 * does not parse is never cached, so its errors show on every run.
 */
export function parseStatementCached(text: string, options: { path: string; config: ResolvedConfig }): Statement {
  const { config } = options;
  const key = HashCache.key(TOOL, text, JSON.stringify([config.sourceLocale, config.locales, config.limits.depth, config.limits.yamlAliases]));
  const file = path.join(config.cacheDir, 'trees', `${path.basename(options.path, '.md')}.json`);
  const record = readRecord(file);
  if (record?.key === key) {
    unpackPositions(record.tree, text);
    return statementOf(new VFile({ path: options.path, cwd: config.root, value: text }), record.tree, record.frontMatter, record.fieldSlots, config);
  }
  const statement = parseStatement(text, { path: options.path, cwd: config.root, config });
  // Synchronous like the parse it saves; temp file then rename, so a reader never sees half a record.
  const temp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    const packed = JSON.stringify({
      key,
      tree: packPositions(statement.tree, text) as Root,
      frontMatter: statement.frontMatter,
      fieldSlots: statement.fieldSlots,
    } satisfies ParsedRecord);
    try {
      markWriting();
      writeFileSync(temp, packed);
    } catch (caught) {
      // The folder is made when a write finds it missing: one mkdir, not one per statement.
      if ((caught as NodeJS.ErrnoException).code !== 'ENOENT') throw caught;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(temp, packed);
    }
    renameSync(temp, file);
  } catch {
    // The cache only saves time: a read-only or full `.cache` never fails a statement.
    if (existsSync(temp)) rmSync(temp);
  }
  return statement;
}

function readRecord(file: string): ParsedRecord | undefined {
  // A cold run asks for every record: an error for each missing one costs more than the check.
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ParsedRecord;
  } catch {
    // Missing or corrupt: parse again.
    return undefined;
  }
}

/** Parse one statement; problems land on its vfile and it is skipped. */
export function loadStatement(entry: StatementEntry, text: string, config: ResolvedConfig, diagnostics: Diagnostics): Statement | undefined {
  try {
    const statement = parseStatementCached(text, { path: entry.file, config });
    diagnostics.adopt(statement.file);
    return statement;
  } catch (caught) {
    if (!(caught instanceof PipelineError)) throw caught;
    for (const file of caught.files) diagnostics.adopt(file);
    return undefined;
  }
}
