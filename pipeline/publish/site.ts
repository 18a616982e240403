/**
 * The built site as publish sees it: every file under the output folder,
 * hashed, with its headers and the phase it is uploaded in.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { headersFor, headersFingerprint, localeOf, type ObjectHeaders } from './headers.ts';
import { isLocale } from '../config.ts';
import { FileHashMemo, hashBytes } from './file-hashes.ts';
import { isTempName } from '../project/index.ts';
import type { Artifact, Locale } from '../types.ts';

/**
 * Upload phases, in order. Files that pages link to come first, then the
 * statement pages, then the indexes and feeds that link to the pages, then
 * the home page; the manifest is written last. A publish cut off part-way
 * leaves every published link pointing at an object that exists.
 */
export const PHASES = ['files', 'pages', 'indexes', 'home', 'manifest'] as const;
export type Phase = (typeof PHASES)[number];

/** A file of the built site, ready to plan and upload. */
export interface SiteObject extends Artifact {
  /** Absolute path of the built file. */
  file: string;
  size: number;
  sha256: string;
  /** Hex MD5: what S3 answers as the ETag of a single-part upload. */
  md5: string;
  headers: ObjectHeaders;
  /** Short hash of the headers. */
  fingerprint: string;
  phase: Phase;
}

/**
 * `dist/<lng>/<slug>/…` documents are pages, `dist/<lng>/index.html` and
 * feeds are indexes, root documents are the home page; everything else
 * (PDFs, Markdown, assets) is a file that pages link to.
 */
export function phaseOf(key: string): Phase {
  if (!/\.(html?|xml|atom)$/i.test(key)) return 'files';
  const depth = key.split('/').length - 1;
  return depth >= 2 ? 'pages' : depth === 1 ? 'indexes' : 'home';
}

export { hashBytes };

/**
 * Every file below `dir` as `/`-separated keys, sorted; temp files and
 * dotfiles are left out. Links are neither followed nor listed: a link in the
 * build folder or a local target could point anywhere on the machine.
 * Synchronous: thousands of small folders are listed several times faster
 * than through the thread pool, and nothing else runs meanwhile.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const keys: string[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || isTempName(entry.name)) continue;
      if (entry.isDirectory()) walk(path.join(folder, entry.name), `${prefix}${entry.name}/`);
      else if (entry.isFile()) keys.push(`${prefix}${entry.name}`);
    }
  };
  try {
    walk(dir, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return keys.sort();
}

/** The file of a key that `listFiles` gave for `dir`, an absolute and normalized folder. */
function fileOfKey(dir: string, key: string): string {
  const separator = dir.endsWith(path.sep) ? '' : path.sep;
  return `${dir}${separator}${path.sep === '/' ? key : key.replaceAll('/', path.sep)}`;
}

/** The `title` in a Markdown file's front matter, if it has one. */
export function frontMatterTitle(text: string): string | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!match) return undefined;
  try {
    const value = parseYaml(match[1]!) as { title?: unknown } | null;
    return typeof value?.title === 'string' ? value.title : undefined;
  } catch {
    return undefined;
  }
}

export interface ScanOptions {
  /** Statement slug → source revision (sha256 of the statement file). */
  revisions: Map<string, string>;
  /** Whether a key is part of the site; the others are left out (the manifest's own key, leftovers). */
  keep?: (key: string) => boolean;
  /** Where hashes are remembered between runs (see file-hashes.ts); default: read every file. */
  memoFile?: string;
  /** The files below `outDir`, when the caller has listed them already. */
  keys?: string[];
}

/**
 * Whether `key` is something the build still produces: files of a statement
 * folder (`<lng>/<slug>/…`) need the statement to exist and the locale to be
 * configured; leftovers of removed statements or locales stay unpublished
 * (and `--delete` removes them from the target).
 */
export function currentKey(key: string, statements: Set<string>, locales: Locale[]): boolean {
  const [first, slug, ...rest] = key.split('/');
  if (!isLocale(first) || slug === undefined) return true;
  if (!locales.includes(first)) return false;
  return rest.length === 0 || statements.has(slug);
}

/** Hash every file of the built site under `outDir`. */
export async function scanSite(outDir: string, options: ScanOptions): Promise<SiteObject[]> {
  const keys = (options.keys ?? (await listFiles(outDir))).filter((key) => options.keep?.(key) ?? true);
  const memo = await FileHashMemo.open(options.memoFile, outDir, frontMatterTitle);
  // Keys are plain names (listFiles): joined to the resolved folder without path.join's normalizing, thousands of times.
  const root = path.resolve(outDir);
  const files = keys.map((key) => fileOfKey(root, key));
  const hashes = new Map(keys.map((key, index) => [key, memo.hash(key, files[index]!)]));
  await memo.save(keys);
  return keys.map((key, index): SiteObject => {
    const { size, sha256, md5 } = hashes.get(key)!;
    const locale = localeOf(key);
    const segments = key.split('/');
    const slug = locale && segments.length >= 3 && options.revisions.has(segments[1]!) ? segments[1] : undefined;
    const revision = slug ? options.revisions.get(slug) : undefined;
    // A PDF is named after the title of the Markdown version beside it.
    const title = slug && key.endsWith('.pdf') ? hashes.get(`${locale}/${slug}/${slug}-${locale}.md`)?.title : undefined;
    const headers = headersFor({ key, sha256, revision, title });
    return {
      key,
      file: files[index]!,
      contentType: headers.contentType,
      locale,
      slug,
      revision,
      size,
      sha256,
      md5,
      headers,
      fingerprint: headersFingerprint(headers),
      phase: phaseOf(key),
    };
  });
}
