/**
 * Locale bundles on disk: `locales/<lng>/<slug>.json` (flat i18next JSON v4,
 * strings only) and the bookkeeping beside them, `locales/.state/<slug>.json`.
 */
import { hash } from 'node:crypto';
import path from 'node:path';
import { forbiddenCharacter } from './characters.ts';
import { decodeUtf8, describeIoError, FileWriteError, readBytesIfExists, stringifyJson, writeFilesAtomic, type FileWrite } from './fs.ts';
import { keysWritten, locateJson, parseJsonFile } from '../json.ts';
import type { Point } from 'unist';
import { error, type Diagnostics } from '../diagnostics.ts';
import type { Limits, ResolvedConfig } from '../config.ts';
import type { Locale, LocaleBundle, StatementState, TranslationRecord } from '../types.ts';

export const bundlePath = (config: Pick<ResolvedConfig, 'localesDir'>, locale: Locale, slug: string) => path.join(config.localesDir, locale, `${slug}.json`);

/** `common` is the i18next namespace of the site's interface strings, `locales/<lng>/common.json`: never a statement's slug. */
export const COMMON_NAMESPACE = 'common';

export const commonPath = (config: Pick<ResolvedConfig, 'localesDir'>, locale: Locale) => bundlePath(config, locale, COMMON_NAMESPACE);

export const statePath = (config: Pick<ResolvedConfig, 'localesDir'>, slug: string) => path.join(config.localesDir, '.state', `${slug}.json`);

/** Strings up to this length have their hash remembered (`hashText`): segments, not whole files. */
const REMEMBERED_LENGTH = 2_048;
/** Hashes remembered at most; then the memory starts again. */
const REMEMBERED_HASHES = 8_192;
const rememberedHashes = new Map<string, string>();

/**
 * Short content hash used in state records and caches. A segment's source
 * and translation are hashed several times over (the record, the staleness
 * check, once per locale): a short string's hash is remembered, as a map
 * lookup costs a tenth of SHA-256.
 */
export function hashText(text: string): string {
  if (text.length > REMEMBERED_LENGTH) return hash('sha256', text, 'hex').slice(0, 16);
  let hashed = rememberedHashes.get(text);
  if (hashed === undefined) {
    // One call, no Hash object.
    hashed = hash('sha256', text, 'hex').slice(0, 16);
    if (rememberedHashes.size >= REMEMBERED_HASHES) rememberedHashes.clear();
    rememberedHashes.set(text, hashed);
  }
  return hashed;
}

/** A bundle as read from disk, with its text for positioned messages. */
export interface BundleFile {
  path: string;
  text?: string;
  bundle: LocaleBundle;
}

/** Key positions of each bundle read, found once by the scan that looks for repeated keys. */
const places = new WeakMap<BundleFile, Map<string, Point>>();

/**
 * The text of a bundle or state file, undefined when it does not exist.
 * `ok` is false when the file cannot be used: unreadable, over
 * `limits.bundleBytes`, or not UTF-8 (which a lenient read would turn into
 * U+FFFD without a word). Each is an error on the file.
 */
async function readJsonText(file: string, diagnostics: Diagnostics, limits: Pick<Limits, 'bundleBytes'>): Promise<{ text?: string; ok: boolean }> {
  let read;
  try {
    read = await readBytesIfExists(file, limits.bundleBytes);
  } catch (caught) {
    error(diagnostics.file(file), `Cannot read the file: ${describeIoError(caught)}`, 'read-failed');
    return { ok: false };
  }
  if (!read) return { ok: true };
  if (!read.bytes) {
    error(diagnostics.file(file), `Unexpected file of ${read.size} bytes, expected at most ${limits.bundleBytes} (\`limits.bundleBytes\`)`, 'file-size', {
      line: 1,
      column: 1,
    });
    return { ok: false };
  }
  const decoded = decodeUtf8(read.bytes);
  if ('place' in decoded) {
    error(
      diagnostics.file(file),
      `Unexpected byte \`0x${decoded.byte.toString(16).toUpperCase().padStart(2, '0')}\`, expected UTF-8: save the file as UTF-8`,
      'invalid-utf8',
      decoded.place,
    );
    return { ok: false };
  }
  return { text: decoded.text, ok: true };
}

/** Why the value of `key` cannot be used, or undefined when it can. */
function entryProblem(key: string, entry: unknown, limits: Pick<Limits, 'translationLength'>): { reason: string; ruleId: string } | undefined {
  if (typeof entry !== 'string') {
    const kind = entry === null ? 'null' : Array.isArray(entry) ? 'a list' : typeof entry === 'object' ? 'an object' : typeof entry;
    return { reason: `Unexpected ${kind} for key \`${key}\`, expected a string in double quotes`, ruleId: 'bundle-shape' };
  }
  if (entry.length > limits.translationLength) {
    return {
      reason: `Unexpected translation of ${entry.length} characters for key \`${key}\`, expected at most ${limits.translationLength} (\`limits.translationLength\`)`,
      ruleId: 'translation-length',
    };
  }
  // A line break in a translation is layout, as in Markdown; the rest has no place in a page.
  const found = forbiddenCharacter(entry);
  if (!found) return undefined;
  const { control, name } = found;
  return {
    reason: `Unexpected ${control ? 'control character' : 'non-character'} \`${name}\` in the translation of \`${key}\`, expected text: remove it`,
    ruleId: control ? 'control-character' : 'invalid-character',
  };
}

/**
 * Read a bundle; a missing file is an empty bundle. A file that cannot be
 * used as it is — broken JSON, a repeated key, a value that is not a string,
 * too long or holds a control character — is an error on the locale file
 * with line, column and key, and the bundle is returned as undefined so no
 * stage overwrites it or publishes from it.
 */
export async function readBundle(
  file: string,
  diagnostics: Diagnostics,
  limits: Pick<Limits, 'bundleBytes' | 'translationLength'>,
): Promise<BundleFile | undefined> {
  const { text, ok } = await readJsonText(file, diagnostics, limits);
  if (!ok) return undefined;
  if (text === undefined) return { path: file, bundle: {} };
  const vfile = diagnostics.file(file);
  const value = parseJsonFile(vfile, text);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    error(vfile, 'Unexpected JSON value, expected an object of `"key": "translation"` pairs', 'bundle-shape', { line: 1, column: 1 });
    return undefined;
  }
  const entries = Object.entries(value);
  // JSON.parse keeps the last of repeated keys without a word. Scanning for them is most of a read: only when a count says there are some.
  const flat = entries.every(([, entry]) => typeof entry === 'string');
  let location = flat && keysWritten(text) === entries.length ? undefined : locateJson(text);
  for (const { key, place } of location?.duplicates ?? [])
    error(vfile, `Duplicate key \`${key}\`, expected each key once: a rewrite would keep only its last translation`, 'duplicate-key', place);
  let valid = (location?.duplicates.length ?? 0) === 0;
  for (const [key, entry] of entries) {
    const problem = entryProblem(key, entry, limits);
    if (!problem) continue;
    location ??= locateJson(text);
    error(vfile, problem.reason, problem.ruleId, location.keys.get(key));
    valid = false;
  }
  if (!valid) return undefined;
  const bundle: BundleFile = { path: file, text, bundle: value as LocaleBundle };
  if (location) places.set(bundle, location.keys);
  return bundle;
}

export function emptyState(sourceLocale: Locale): StatementState {
  return { version: 1, sourceLocale, segments: {}, targets: {}, obsolete: {} };
}

/** Read the state file; a broken one is an error, since it guards stale flags. */
export async function readState(
  file: string,
  diagnostics: Diagnostics,
  limits: Pick<Limits, 'bundleBytes'>,
): Promise<{ state?: StatementState; text?: string; ok: boolean }> {
  const { text, ok } = await readJsonText(file, diagnostics, limits);
  if (!ok) return { ok: false };
  if (text === undefined) return { ok: true };
  const value = parseJsonFile(diagnostics.file(file), text);
  if (value === undefined) return { ok: false };
  const state = value as StatementState;
  if (state.version !== 1 || typeof state.segments !== 'object' || typeof state.targets !== 'object' || typeof state.obsolete !== 'object') {
    error(diagnostics.file(file), 'Unexpected state file, expected `version: 1` with `segments`, `targets` and `obsolete`', 'state-shape', {
      line: 1,
      column: 1,
    });
    return { ok: false };
  }
  return { state, text, ok: true };
}

export const serializeBundle = (bundle: LocaleBundle) => stringifyJson(bundle);

/**
 * Write a statement's bundles and state all or nothing, in the order given:
 * the state last, so it never vouches for a bundle that is not there. An I/O
 * failure is an error on the file that could not be written, and the
 * statement's files stay as they were; returns whether everything was written.
 */
export async function writeCatalog(writes: FileWrite[], root: string, diagnostics: Diagnostics): Promise<boolean> {
  try {
    await writeFilesAtomic(writes, root);
    return true;
  } catch (caught) {
    if (!(caught instanceof FileWriteError)) throw caught;
    error(diagnostics.file(caught.path), caught.message, 'write-failed');
    return false;
  }
}

/**
 * A translation is stale when the source changed since it was made and the
 * translator has not touched it since (an edit counts as an update).
 */
export function isStale(record: TranslationRecord | undefined, source: string, target: string): boolean {
  return record !== undefined && isStaleHash(record, hashText(source), hashText(target));
}

/** `isStale`, from the `hashText` of the source and the target when they are at hand. */
export function isStaleHash(record: TranslationRecord | undefined, sourceHash: string, targetHash: string): boolean {
  return record !== undefined && record.target === targetHash && record.source !== sourceHash;
}

/**
 * The record a translation is judged by. A translation typed or edited since
 * the last extract has no record of its own yet: the translator made it from
 * the source text that extract wrote, whatever the source says now.
 */
export function translationRecord(state: StatementState | undefined, locale: Locale, key: string, target: string | undefined): TranslationRecord | undefined {
  const record = state?.targets[locale]?.[key];
  if (!target) return record;
  const hashed = hashText(target);
  if (record?.target === hashed) return record;
  const source = state?.sources?.[key];
  return source === undefined ? record : { source, target: hashed };
}

/** Line and column of `key` in a bundle file, for messages a translator acts on. */
export function bundlePlace(file: BundleFile, key: string): Point | undefined {
  if (file.text === undefined) return undefined;
  let keys = places.get(file);
  if (!keys) places.set(file, (keys = locateJson(file.text).keys));
  return keys.get(key);
}
