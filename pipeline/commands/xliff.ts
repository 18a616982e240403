/**
 * `statements xliff export|import`: exchange translations with CAT tools
 * (Trados, memoQ, Phrase, Weblate, OmegaT) as XLIFF 2.0 or 1.2.
 *
 * Export writes one file per statement and target locale,
 * `<out>/<slug>.<locale>.xlf`. Import validates each file as a whole first
 * (well-formed, known statement, configured locale, unique unit ids): a file
 * that fails changes nothing. A `<file>` for no statement of the project
 * (e.g. `b.po` after a translate-toolkit PO round trip) is refused with its
 * line as a warning and listed in the report, and the other `<file>`s are
 * imported; a document none of whose `<file>`s is known changes nothing. Then each unit is checked on its own; refused
 * units are reported with their line and the others are imported. A file's
 * bundles and state are written all or nothing.
 */
import path from 'node:path';
import pLimit from 'p-limit';
import { readFile } from 'node:fs/promises';
import { Diagnostics, error, warning, type TransferredMessage } from '../diagnostics.ts';
import {
  type Feed,
  findStatements,
  isolate,
  readCatalog,
  readStatementText,
  whileWriting,
  writtenFolders,
  type StatementEntry,
  writeCatalog,
  writeIfChanged,
} from '../project/index.ts';
import { extractSegments, type PlannedWrite } from '../extract/index.ts';
import { eachStatement, runSharded } from './statements.ts';
import { loadStatement } from '../parse/index.ts';
import { TranslationMemory } from '../translation/index.ts';
import { type ResolvedConfig } from '../config.ts';
import { CONFIG_FILE } from '../paths.ts';
import {
  checkFile,
  emptyCounts,
  exportUnits,
  wantsSuggestions,
  type ImportCounts,
  type ImportTarget,
  planFileImport,
  readXliff,
  refuseLocale,
  unknownStatement,
  writeXliff,
  type XliffFile,
  type XliffVersion,
} from '../xliff/index.ts';
import type { Locale, Statement } from '../types.ts';

export interface XliffExportOptions {
  locale: Locale;
  slugs?: string[];
  version?: XliffVersion;
  /** Folder for the files. Default `xliff/` in the project. */
  outDir?: string;
  /** Translation-memory suggestions in the notes. Default true. */
  memory?: boolean;
  /** Worker threads; by default every core once there are enough statements to pay for starting them, 1 keeps the work in this thread. */
  jobs?: number;
}

export interface ExportedFile {
  slug: string;
  locale: Locale;
  path: string;
  units: number;
  translated: number;
  changed: boolean;
}

export interface XliffExportReport {
  files: ExportedFile[];
  diagnostics: Diagnostics;
}

/** The file name export gives a statement × locale. */
export const xliffFileName = (slug: string, locale: Locale) => `${slug}.${locale}.xlf`;

/** What exporting a statement costs (its tree, catalog and file read back, one file written): about 2.5 ms on the 2-core machine. */
const EXPORT_MS = 2.5;

/**
 * Work an export thread must have (`WORK_PER_THREAD_MS`): its bundle is small
 * and quick to load. On the 2-core machine two threads exported 1,000
 * statements 1.1× faster than one after an extract, 1.3× when every
 * statement had to be parsed again.
 */
const EXPORT_THREAD_MS = 1_500;

export async function exportXliff(config: ResolvedConfig, options: XliffExportOptions): Promise<XliffExportReport> {
  const diagnostics = new Diagnostics(config.root);
  const report: XliffExportReport = { files: [], diagnostics };
  const { locale } = options;
  const refusal =
    refuseLocale(locale, config) ?? (locale === config.sourceLocale ? `Unexpected target locale \`${locale}\`: it is the source locale` : undefined);
  if (refusal) {
    error(diagnostics.file(path.join(config.root, CONFIG_FILE)), refusal, 'xliff-locale');
    return report;
  }
  const entries = await findStatements(config, diagnostics, options.slugs);
  const resolved = { ...options, outDir: path.resolve(config.root, options.outDir ?? 'xliff') };
  const shards = await runSharded(new URL(import.meta.url), 'exportStatements', exportStatements, entries, [config, resolved], {
    jobs: options.jobs,
    itemMs: EXPORT_MS,
    threadMs: EXPORT_THREAD_MS,
  });
  for (const shard of shards) {
    diagnostics.import(shard.messages);
    report.files.push(...shard.files);
  }
  report.files.sort((a, b) => a.slug.localeCompare(b.slug));
  return report;
}

/** What a thread's share of an export reports. */
export interface ExportShard {
  files: ExportedFile[];
  messages: TransferredMessage[];
}

/** Export the statements of `entries` (all, or a thread's share) to `options.outDir`. */
export async function exportStatements(
  entries: Feed<StatementEntry>,
  config: ResolvedConfig,
  options: XliffExportOptions & { outDir: string },
): Promise<ExportShard> {
  const diagnostics = new Diagnostics(config.root);
  const { locale, outDir } = options;
  // Every catalog of the project is read to load the memory: only when a statement has units to suggest for.
  let memory: Promise<TranslationMemory> | undefined;
  const files = await eachStatement(entries, config, diagnostics, async ({ entry, statement, catalog, segments }): Promise<ExportedFile | undefined> => {
    if (!statement.locales.includes(locale) || locale === statement.frontMatter.lang) return undefined;
    const suggest = options.memory !== false && wantsSuggestions(segments, catalog, locale, config);
    const file: XliffFile = exportUnits(statement, segments, catalog, locale, config, suggest ? await (memory ??= TranslationMemory.load(config)) : undefined);
    const target = path.join(outDir, xliffFileName(entry.slug, locale));
    const changed = await writeIfChanged(
      target,
      writeXliff({ sourceLocale: statement.frontMatter.lang, targetLocale: locale, files: [file] }, options.version),
    );
    return {
      slug: entry.slug,
      locale,
      path: target,
      units: file.units.length,
      translated: file.units.filter((unit) => unit.target !== undefined).length,
      changed,
    };
  });
  return { files, messages: diagnostics.export() };
}

export interface ImportedFile {
  /** The XLIFF file. */
  path: string;
  locale?: Locale;
  slugs: string[];
  /** `<file>`s for no statement of the project, not imported (`original`/`id` and line), while the others were. */
  refusedFiles: Array<{ name: string; line: number; units: number }>;
  counts: ImportCounts;
  /** Locale and state files written. */
  writes: string[];
}

export interface XliffImportReport {
  files: ImportedFile[];
  diagnostics: Diagnostics;
}

/** The text of an XML file: UTF-8 (with or without BOM), or UTF-16 as some CAT tools write it. */
function decodeXml(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  return bytes.toString('utf8');
}

export interface XliffImportOptions {
  /** Check and report, write nothing. */
  dryRun?: boolean;
  /** XLIFF 1.2 `approved="yes"` means reviewed. Default `translation.approvedMeansReviewed` (false). */
  approvedMeansReviewed?: boolean;
}

/** Import XLIFF files, one after the other; a later file sees what an earlier one wrote. */
export async function importXliff(config: ResolvedConfig, files: string[], options: XliffImportOptions = {}): Promise<XliffImportReport> {
  return options.dryRun ? importAll(config, files, options) : whileWriting(config.cacheDir, writtenFolders(config), () => importAll(config, files, options));
}

async function importAll(config: ResolvedConfig, files: string[], options: XliffImportOptions): Promise<XliffImportReport> {
  const diagnostics = new Diagnostics(config.root);
  const report: XliffImportReport = { files: [], diagnostics };
  const approvedMeansReviewed = options.approvedMeansReviewed ?? config.translation.approvedMeansReviewed;
  const entries = await findStatements(config, new Diagnostics(config.root));
  const bySlug = new Map<string, StatementEntry>(entries.map((entry) => [entry.slug, entry]));
  // Files are read and the statements they name parsed ahead, in parallel; the writes stay in order.
  const limit = pLimit(16);
  const statements = new Map<string, Promise<Statement | undefined>>();
  const statementOf = (entry: StatementEntry) => {
    let loaded = statements.get(entry.slug);
    if (!loaded)
      statements.set(
        entry.slug,
        (loaded = limit(() => isolate(entry.file, diagnostics, async () => loadStatement(entry, await readStatementText(entry, config), config, diagnostics)))),
      );
    return loaded;
  };
  const inputs = await Promise.all(
    files.map((name) =>
      limit(async () => {
        const absolute = path.resolve(config.root, name);
        try {
          const read = readXliff(decodeXml(await readFile(absolute)), { approvedMeansReviewed });
          if (read.ok) for (const file of read.document.files) if (file.slug && bySlug.has(file.slug)) void statementOf(bySlug.get(file.slug)!);
          return { absolute, read };
        } catch (caught) {
          return { absolute, problem: `Cannot read the file: ${(caught as NodeJS.ErrnoException).code ?? (caught as Error).message}` };
        }
      }),
    ),
  );
  // One file's failure stays with it; the files after it are imported all the same.
  for (const { absolute, read, problem } of inputs)
    await isolate(absolute, diagnostics, async () => {
      const xliff = diagnostics.file(absolute);
      const result: ImportedFile = { path: absolute, slugs: [], refusedFiles: [], counts: emptyCounts(), writes: [] };
      report.files.push(result);
      if (!read) {
        error(xliff, problem!, 'xliff-read');
        return;
      }
      if (!read.ok) {
        error(xliff, read.reason, 'xliff-syntax', read.place);
        return;
      }
      const { document } = read;
      const locale = document.targetLocale!;
      result.locale = locale;
      const refusal = refuseLocale(locale, config);
      if (refusal) {
        error(xliff, refusal, 'xliff-locale', document.place);
        return;
      }
      // Check every <file> before writing anything: a bad file changes nothing.
      const targets: Array<{ target: ImportTarget; file: (typeof document.files)[number] }> = [];
      const foreign: typeof document.files = [];
      let usable = true;
      for (const file of document.files) {
        const entry = file.slug ? bySlug.get(file.slug) : undefined;
        // A <file> for no statement (e.g. `b.po` after a PO round trip) is set aside; it refuses the document only if nothing else is for us.
        if (!entry) {
          foreign.push(file);
          continue;
        }
        const [statement, catalog] = entry ? await Promise.all([statementOf(entry), readCatalog(entry.slug, config, diagnostics)]) : [];
        if (entry && !statement) {
          error(xliff, `Statement \`${entry.slug}\` cannot be read: fix it first`, 'xliff-statement', file.place);
          usable = false;
          continue;
        }
        if (!checkFile(file, xliff, document.place, document.sourceLocale, locale, statement, [...bySlug.keys()], config)) {
          usable = false;
          continue;
        }
        if (!catalog?.ok || !catalog.state) {
          error(
            xliff,
            catalog?.ok
              ? `No catalog for \`${file.slug}\` yet, expected \`statements extract\` to have run`
              : `The locale files of \`${file.slug}\` cannot be read: fix them first`,
            'xliff-catalog',
            file.place,
          );
          usable = false;
          continue;
        }
        targets.push({ target: { statement: statement!, segments: extractSegments(statement!, catalog), catalog, locale }, file });
      }
      const known = [...bySlug.keys()];
      if (usable && targets.length > 0) {
        for (const file of foreign) {
          warning(
            xliff,
            `${unknownStatement(file, known)}: its ${file.unitCount} units are not imported, the other \`<file>\`s are`,
            'xliff-unknown-statement',
            file.place,
          );
          result.refusedFiles.push({ name: file.slug ?? '(none)', line: file.place.line, units: file.unitCount });
          result.counts.refused += file.unitCount;
        }
      } else for (const file of foreign) checkFile(file, xliff, document.place, document.sourceLocale, locale, undefined, known, config);
      if (!usable || targets.length === 0) return;
      const writes: PlannedWrite[] = [];
      for (const { target, file } of targets) {
        const planned = planFileImport(file, target, xliff, config);
        result.slugs.push(target.statement.slug);
        for (const [key, value] of Object.entries(planned.counts)) result.counts[key as keyof ImportCounts] += value;
        writes.push(...planned.writes);
      }
      if (options.dryRun || (await writeCatalog(writes, config.root, diagnostics))) result.writes = writes.map((write) => write.path);
    });
  return report;
}
