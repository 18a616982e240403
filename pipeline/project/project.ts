/**
 * The files of a project: statements found under `statements/`, each with its
 * catalog (source bundle, target bundles, state) under `locales/`.
 */
import { readFileSync, statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { VFile } from 'vfile';
import { error, PipelineError, warning, type Diagnostics } from '../diagnostics.ts';
import { bundlePath, COMMON_NAMESPACE, hashText, readBundle, readState, statePath, type BundleFile } from './bundle.ts';
import { decodeUtf8, explainIoError, readTextIfExists } from './fs.ts';
import { DEFAULT_LIMITS, type ResolvedConfig } from '../config.ts';
import { HashCache } from './cache.ts';
import { IdentityMemo } from './identity-memo.ts';
import type { Locale, StatementState } from '../types.ts';

export interface StatementEntry {
  slug: string;
  /** Absolute path of the Markdown file. */
  file: string;
}

/**
 * Every `*.md` below the statements folder, sorted by slug. Two files with
 * the same slug would publish to the same URLs: both are reported, neither used.
 */
export async function findStatements(config: ResolvedConfig, diagnostics: Diagnostics, only?: string[]): Promise<StatementEntry[]> {
  let names: string[];
  try {
    // A folder named `x.md` is not a statement; a link is, so that a broken one is reported.
    const found = await readdir(config.statementsDir, { recursive: true, withFileTypes: true });
    // Most statements sit at the top: their name is their path, without path.relative's resolving.
    names = found
      .filter((entry) => !entry.isDirectory())
      .map((entry) => (entry.parentPath === config.statementsDir ? entry.name : path.relative(config.statementsDir, path.join(entry.parentPath, entry.name))));
  } catch (caught) {
    if ((caught as NodeJS.ErrnoException).code !== 'ENOENT') throw caught;
    error(diagnostics.file(config.statementsDir), 'No statements folder: create it and add `<slug>.md` files', 'no-statements');
    return [];
  }
  const bySlug = new Map<string, string[]>();
  for (const name of names.filter((entry) => entry.endsWith('.md')).sort()) {
    const slug = path.basename(name, '.md');
    bySlug.set(slug, [...(bySlug.get(slug) ?? []), path.join(config.statementsDir, name)]);
  }
  const entries: StatementEntry[] = [];
  for (const [slug, files] of bySlug) {
    if (slug === COMMON_NAMESPACE) {
      // `locales/<lng>/common.json` holds the interface strings of the site.
      for (const file of files)
        error(
          diagnostics.file(file),
          `Reserved slug \`${slug}\`: \`locales/<lng>/${slug}.json\` holds the interface strings, rename the statement`,
          'reserved-slug',
          { line: 1, column: 1 },
        );
      continue;
    }
    if (files.length > 1) {
      for (const file of files) {
        const others = files.filter((other) => other !== file).map((other) => `\`${path.relative(config.root, other)}\``);
        error(
          diagnostics.file(file),
          `Duplicate slug \`${slug}\`: ${others.join(', ')} has the same name, and both would publish to the same URLs`,
          'duplicate-slug',
          { line: 1, column: 1 },
        );
      }
      continue;
    }
    entries.push({ slug, file: files[0]! });
  }
  if (only && only.length > 0) {
    for (const slug of only.filter((name) => !bySlug.has(name))) {
      error(
        diagnostics.file(config.statementsDir),
        `Unknown statement \`${slug}\`, expected one of ${[...bySlug.keys()].map((s) => `\`${s}\``).join(', ') || 'none'}`,
        'unknown-statement',
      );
    }
    return entries.filter((entry) => only.includes(entry.slug));
  }
  return entries.sort((a, b) => a.slug.localeCompare(b.slug));
}

/**
 * A statement's text, read as bytes: a file over `limits.statementBytes` is
 * refused before it is read, and invalid UTF-8 is an error where it occurs,
 * never a silent U+FFFD. Either throws a PipelineError positioned on the
 * statement. Without `config`, the default limits apply.
 */
export async function readStatementText(
  entry: StatementEntry,
  config: Pick<ResolvedConfig, 'root' | 'limits'> = { root: process.cwd(), limits: DEFAULT_LIMITS },
): Promise<string> {
  // Synchronous, as the other small reads: the round trips of async reads cost more than the read.
  const { size } = statSync(entry.file);
  const file = () => new VFile({ path: entry.file, cwd: config.root });
  if (size > config.limits.statementBytes) {
    const statement = file();
    error(
      statement,
      `Statement too large: ${size} bytes, expected at most ${config.limits.statementBytes} (limit \`limits.statementBytes\`)`,
      'statement-size',
      {
        line: 1,
        column: 1,
      },
    );
    throw new PipelineError(statement);
  }
  const decoded = decodeUtf8(readFileSync(entry.file));
  if ('text' in decoded) return decoded.text;
  const byte = `0x${decoded.byte.toString(16).toUpperCase().padStart(2, '0')}`;
  const statement = file();
  error(statement, `Invalid UTF-8: byte \`${byte}\` is not part of a character, expected the statement saved as UTF-8`, 'encoding', decoded.place);
  throw new PipelineError(statement);
}

/**
 * Run one file's part of a command so that what it throws stays with that
 * file and the other files go on: a PipelineError's messages are kept, a
 * file-system error becomes one sentence naming the path and the cause,
 * anything else one `internal-error` (never a stack trace). Then `onFailure`
 * runs and the result is undefined.
 */
export async function isolate<T>(file: string, diagnostics: Diagnostics, task: () => Promise<T>, onFailure?: () => unknown): Promise<T | undefined> {
  try {
    return await task();
  } catch (caught) {
    if (caught instanceof PipelineError) for (const failed of caught.files) diagnostics.adopt(failed);
    else {
      const io = explainIoError(caught, diagnostics.cwd);
      const reason = io ?? `Internal error while processing this file: ${caught instanceof Error ? caught.message : String(caught)}`;
      error(diagnostics.file(file), reason, io ? 'io-error' : 'internal-error', { line: 1, column: 1 });
    }
    // Best effort: the failure itself is reported already.
    await Promise.resolve()
      .then(onFailure)
      .catch(() => undefined);
    return undefined;
  }
}

/** The folders a run writes to with temp files: where a killed run may have left some. */
export const writtenFolders = (config: Pick<ResolvedConfig, 'localesDir' | 'cacheDir' | 'outDir'>) => [config.localesDir, config.cacheDir, config.outDir];

/** A statement's bundles (one per configured locale) and state as found on disk. */
export interface Catalog {
  /** Every readable bundle; a missing file reads as an empty bundle. */
  bundles: Map<Locale, BundleFile>;
  state?: StatementState;
  stateText?: string;
  statePath: string;
  /** False when a file could not be read: nothing may be written over it. */
  ok: boolean;
}

/** Every locale a project has bundles for: targets and the locales they fall back to. */
export function catalogLocales(config: ResolvedConfig): Locale[] {
  return [...new Set([...config.locales, ...Object.values(config.fallback).flat()])];
}

export async function readCatalog(slug: string, config: ResolvedConfig, diagnostics: Diagnostics): Promise<Catalog> {
  const locales = catalogLocales(config);
  const [state, ...bundles] = await Promise.all([
    readState(statePath(config, slug), diagnostics, config.limits),
    ...locales.map((locale) => readBundle(bundlePath(config, locale, slug), diagnostics, config.limits)),
  ]);
  const map = new Map<Locale, BundleFile>();
  bundles.forEach((bundle, index) => bundle && map.set(locales[index]!, bundle));
  // Bundles without their state: an extract ran once, and its bookkeeping has been lost since.
  if (state.ok && state.text === undefined && bundles.some((bundle) => bundle?.text !== undefined)) {
    warning(
      diagnostics.file(statePath(config, slug)),
      `Missing state file: review states and obsolete translations of \`${slug}\` are lost, stale flags are rebuilt from the source bundle at the next extract; restore \`${path.relative(config.root, statePath(config, slug))}\` from version control and commit \`.state\``,
      'state-missing',
    );
  }
  return { bundles: map, state: state.state, stateText: state.text, statePath: statePath(config, slug), ok: state.ok && bundles.every(Boolean) };
}

/** The bundle of `locale`, empty when the catalog has none. */
export function bundleOf(catalog: Catalog, locale: Locale, config: Pick<ResolvedConfig, 'localesDir'>, slug: string): BundleFile {
  return catalog.bundles.get(locale) ?? { path: bundlePath(config, locale, slug), bundle: {} };
}

/** Hash of one input file's text; a missing file hashes as nothing, unlike an empty one. */
const textHash = (text: string | undefined) => (text === undefined ? '' : hashText(text));

/** The settings every statement's key includes, as text: worked out once per configuration. */
const settingsText = new WeakMap<ResolvedConfig, string>();

/**
 * Hash of everything a statement's extract or build reads, from the hashes
 * of its files in the order of `inputFiles` (text, state, bundles), and the settings.
 */
function hashesKey(config: ResolvedConfig, hashes: string[]): string {
  let settings = settingsText.get(config);
  if (settings === undefined) settingsText.set(config, (settings = JSON.stringify([config.locales, config.fallback, config.sourceLocale, config.strict])));
  const [statement, state, ...bundles] = hashes;
  const sorted = catalogLocales(config)
    .map((locale, index): [Locale, string] => [locale, bundles[index]!])
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([locale, hash]) => `${locale}=${hash}`);
  return HashCache.key(settings, statement, state, ...sorted);
}

/** Hashes of statements' input files by file identity, in `.cache/inputs.json`. */
export const openInputHashes = (config: ResolvedConfig) =>
  IdentityMemo.open<string>(path.join(config.cacheDir, 'inputs.json'), JSON.stringify([config.root, config.limits]));

/** The files a statement's extract or build reads, in the order `statementInputsKey` hashes them: text, state, bundles. */
const inputFiles = (entry: StatementEntry, config: ResolvedConfig, locales = catalogLocales(config)) => [
  entry.file,
  statePath(config, entry.slug),
  ...locales.map((locale) => bundlePath(config, locale, entry.slug)),
];

/**
 * `hashesKey` of a statement as its files are on disk. A file whose identity
 * is as `memo` last saw it is not read: deciding that nothing changed in a
 * project of thousands of files costs their stats. A file that is read is
 * checked as every command reads it (size, encoding), so what `memo` holds
 * was valid then; the limits are part of its salt.
 */
export async function statementInputsKey(entry: StatementEntry, config: ResolvedConfig, memo: IdentityMemo<string>): Promise<string> {
  // One file after the other, awaiting only a read: a project where nothing changed is thousands of stats.
  const hashes = [];
  for (const [index, file] of inputFiles(entry, config).entries()) {
    const { identity, value } = memo.recall(file, file);
    if (value !== undefined) {
      hashes.push(value);
      continue;
    }
    // A catalog file that is not there hashes as nothing, without trying to read it; the statement must be there.
    const statement = index === 0;
    if (identity === undefined && !statement) {
      hashes.push(textHash(undefined));
      continue;
    }
    const hash = textHash(statement ? await readStatementText(entry, config) : await readTextIfExists(file));
    memo.set(file, identity, hash);
    hashes.push(hash);
  }
  return hashesKey(config, hashes);
}

/** Each input file of a statement with the hash of its text as a task read it. */
export type InputHashes = Array<[file: string, hash: string]>;

/** `hashesKey` from a statement's `readInputHashes`. */
export const inputHashesKey = (config: ResolvedConfig, hashes: InputHashes) =>
  hashesKey(
    config,
    hashes.map(([, hash]) => hash),
  );

/**
 * The hashes of the input files a task read, from the texts in hand: what
 * `statementInputsKey` would have read and hashed again, for a statement it
 * was not asked about.
 */
export function readInputHashes(entry: StatementEntry, text: string, catalog: Catalog, config: ResolvedConfig): InputHashes {
  const locales = catalogLocales(config);
  const [statementFile, stateFile, ...bundleFiles] = inputFiles(entry, config, locales);
  return [
    [statementFile!, textHash(text)],
    [stateFile!, textHash(catalog.stateText)],
    ...locales.map((locale, index): [string, string] => [bundleFiles[index]!, textHash(catalog.bundles.get(locale)?.text)]),
  ];
}

/**
 * Input files that were not read when deciding what changed, known by their
 * identity then: the hashes a task reports for them later (`learn`) are
 * remembered under that identity, taken before the task read the files, so
 * a file changed in between is read again next time.
 */
export class UnreadInputs {
  readonly #identities = new Map<string, string>();
  constructor(readonly memo: IdentityMemo<string>) {}

  /** Note the identities of `entry`'s files the memo has no hash for. */
  note(entry: StatementEntry, config: ResolvedConfig): void {
    for (const file of inputFiles(entry, config)) {
      const { identity, value } = this.memo.recall(file, file);
      if (identity !== undefined && value === undefined) this.#identities.set(file, identity);
    }
  }

  learn(hashes: InputHashes): void {
    for (const [file, hash] of hashes) this.memo.set(file, this.#identities.get(file), hash);
  }
}
