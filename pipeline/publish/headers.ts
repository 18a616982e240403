/**
 * The HTTP headers each published object is served with, derived from its
 * key alone (plus its localized title for PDF file names): Content-Type,
 * Content-Language, Cache-Control, Content-Disposition and metadata.
 */
import { hash } from 'node:crypto';
import createContentDisposition from 'content-disposition';
import path from 'node:path';
import { isLocale } from '../config.ts';

export interface ObjectHeaders {
  contentType: string;
  contentLanguage?: string;
  cacheControl: string;
  contentDisposition?: string;
  /** `x-amz-meta-*` values: ASCII only. */
  metadata: Record<string, string>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.pdf': 'application/pdf',
  '.md': 'text/markdown; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
};

/** Content-Type from the key: feeds are Atom, the rest by extension. */
export function contentTypeOf(key: string): string {
  const name = path.posix.basename(key);
  if (name === 'feed.xml' || name.endsWith('.atom')) return 'application/atom+xml';
  if (name === 'rss.xml') return 'application/rss+xml';
  return TYPES[path.posix.extname(name).toLowerCase()] ?? 'application/octet-stream';
}

/** The locale of `<lng>/…` keys; root files have none. */
export function localeOf(key: string): string | undefined {
  const slash = key.indexOf('/');
  const first = slash < 0 ? undefined : key.slice(0, slash);
  return isLocale(first) ? first : undefined;
}

/**
 * Every object, PDFs and images included, keeps its URL (links to a PDF in
 * mails and articles keep working) and may be reused for 5 minutes, then
 * must be revalidated (a cheap 304 by ETag): a correction reaches every
 * reader within 5 minutes of the publish.
 */
export const CACHE_CONTROL = 'public, max-age=300, must-revalidate';

/** ASCII fallback of a file name for the plain `filename=` parameter (RFC 6266 §4.3): accents dropped, not replaced by `?`. */
function asciiFallback(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]|["\\%]/g, '_');
}

/**
 * `inline; filename="Declaration de Lydis.pdf"; filename*=UTF-8''D%C3%A9claration…`:
 * browsers that know RFC 6266 take `filename*` (accents survive), older ones the ASCII name.
 */
export function contentDisposition(fileName: string, type: 'inline' | 'attachment' = 'inline'): string {
  return createContentDisposition(fileName, { type, fallback: asciiFallback(fileName) });
}

/** A file name from a title: no path separators or characters file systems refuse. */
export function fileNameFromTitle(title: string, extension: string): string {
  const clean = title
    .normalize('NFC')
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
    .trim();
  return `${clean || 'document'}${extension}`;
}

export interface HeaderInput {
  key: string;
  sha256: string;
  revision?: string;
  /** Localized title of the statement, for PDF file names. */
  title?: string;
}

/** Every header of one object. */
export function headersFor(input: HeaderInput): ObjectHeaders {
  const contentType = contentTypeOf(input.key);
  const headers: ObjectHeaders = { contentType, cacheControl: CACHE_CONTROL, metadata: { sha256: input.sha256 } };
  const locale = localeOf(input.key);
  if (locale) headers.contentLanguage = locale;
  if (contentType === 'application/pdf') {
    const name = input.title ? fileNameFromTitle(input.title, '.pdf') : path.posix.basename(input.key);
    headers.contentDisposition = contentDisposition(name);
  }
  if (input.revision) headers.metadata.revision = input.revision;
  return headers;
}

/** A short hash of the headers, so that a change of policy re-uploads the objects it affects. */
export function headersFingerprint(headers: ObjectHeaders): string {
  const stable = JSON.stringify([
    headers.contentType,
    headers.contentLanguage ?? '',
    headers.cacheControl,
    headers.contentDisposition ?? '',
    Object.entries(headers.metadata).sort(),
  ]);
  return hash('sha256', stable).slice(0, 16);
}
