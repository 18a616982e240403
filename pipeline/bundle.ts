/**
 * Locale bundles on disk: `locales/<lng>/<slug>.json` (flat i18next JSON v4,
 * strings only) and the bookkeeping beside them, `locales/.state/<slug>.json`.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readTextIfExists, stringifyJson } from './fs.ts';
import { locateJson, parseJsonFile } from './json.ts';
import type { Point } from 'unist';
import { error, type Diagnostics } from './diagnostics.ts';
import type { ResolvedConfig } from './config.ts';
import type { Locale, LocaleBundle, StatementState, TranslationRecord } from './types.ts';

export const bundlePath = (config: Pick<ResolvedConfig, 'localesDir'>, locale: Locale, slug: string) =>
  path.join(config.localesDir, locale, `${slug}.json`);

export const statePath = (config: Pick<ResolvedConfig, 'localesDir'>, slug: string) =>
  path.join(config.localesDir, '.state', `${slug}.json`);

/** Short content hash used in state records and caches. */
export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** A bundle as read from disk, with its text for positioned messages. */
export interface BundleFile {
  path: string;
  text?: string;
  bundle: LocaleBundle;
}

/**
 * Read a bundle; a missing file is an empty bundle. Broken JSON or a
 * non-string value is an error on the locale file with line, column and key,
 * and the bundle is returned as undefined so no stage overwrites it.
 */
export async function readBundle(file: string, diagnostics: Diagnostics): Promise<BundleFile | undefined> {
  const text = await readTextIfExists(file);
  if (text === undefined) return { path: file, bundle: {} };
  const vfile = diagnostics.file(file);
  const value = parseJsonFile(vfile, text);
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    error(vfile, 'Unexpected JSON value, expected an object of `"key": "translation"` pairs', 'bundle-shape', { line: 1, column: 1 });
    return undefined;
  }
  let valid = true;
  for (const [key, entry] of Object.entries(value)) {
    if (typeof entry !== 'string') {
      const kind = entry === null ? 'null' : Array.isArray(entry) ? 'a list' : typeof entry === 'object' ? 'an object' : typeof entry;
      error(vfile, `Unexpected ${kind} for key \`${key}\`, expected a string in double quotes`, 'bundle-shape', locateJson(text).keys.get(key));
      valid = false;
    }
  }
  return valid ? { path: file, text, bundle: value as LocaleBundle } : undefined;
}

export function emptyState(sourceLocale: Locale): StatementState {
  return { version: 1, sourceLocale, segments: {}, targets: {}, obsolete: {} };
}

/** Read the state file; a broken one is an error, since it guards stale flags. */
export async function readState(file: string, diagnostics: Diagnostics): Promise<{ state?: StatementState; text?: string; ok: boolean }> {
  const text = await readTextIfExists(file);
  if (text === undefined) return { ok: true };
  const value = parseJsonFile(diagnostics.file(file), text);
  if (value === undefined) return { ok: false };
  const state = value as StatementState;
  if (state.version !== 1 || typeof state.segments !== 'object' || typeof state.targets !== 'object' || typeof state.obsolete !== 'object') {
    error(diagnostics.file(file), 'Unexpected state file, expected `version: 1` with `segments`, `targets` and `obsolete`', 'state-shape', { line: 1, column: 1 });
    return { ok: false };
  }
  return { state, text, ok: true };
}

export const serializeBundle = (bundle: LocaleBundle) => stringifyJson(bundle);

/**
 * A translation is stale when the source changed since it was made and the
 * translator has not touched it since (an edit counts as an update).
 */
export function isStale(record: TranslationRecord | undefined, source: string, target: string): boolean {
  return record !== undefined && record.target === hashText(target) && record.source !== hashText(source);
}

/**
 * The record a translation is judged by. A translation typed or edited since
 * the last extract has no record of its own yet: the translator made it from
 * the source text that extract wrote, whatever the source says now.
 */
export function translationRecord(state: StatementState | undefined, locale: Locale, key: string, target: string | undefined): TranslationRecord | undefined {
  const record = state?.targets[locale]?.[key];
  if (!target || record?.target === hashText(target)) return record;
  const source = state?.sources?.[key];
  return source === undefined ? record : { source, target: hashText(target) };
}

const places = new WeakMap<BundleFile, Map<string, Point>>();

/** Line and column of `key` in a bundle file, for messages a translator acts on. */
export function bundlePlace(file: BundleFile, key: string): Point | undefined {
  if (file.text === undefined) return undefined;
  let keys = places.get(file);
  if (!keys) places.set(file, (keys = locateJson(file.text).keys));
  return keys.get(key);
}
