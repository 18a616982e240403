/**
 * The headers each object is served with, derived from its key: type,
 * language, caching, and an RFC 6266 / RFC 5987 Content-Disposition whose
 * file name keeps its accents; and the phase each key is uploaded in.
 */
import { describe, expect, test } from 'vitest';
import { CACHE_CONTROL, contentDisposition, contentTypeOf, fileNameFromTitle, headersFor, headersFingerprint, localeOf } from '../pipeline/publish/headers.ts';
import { frontMatterTitle, phaseOf } from '../pipeline/publish/site.ts';

/** The file name a browser takes from a Content-Disposition: `filename*` (RFC 5987) first, else `filename`. */
function fileNameOf(header: string): string {
  const extended = /filename\*=UTF-8''([^;\s]+)/i.exec(header);
  if (extended) return decodeURIComponent(extended[1]!);
  return /filename="((?:[^"\\]|\\.)*)"/.exec(header)![1]!;
}

describe('Content-Disposition (RFC 6266, RFC 5987)', () => {
  test.each([
    ['Déclaration sur l’engagement climatique.pdf'],
    ['Verklaring over de uitbreiding van de haven in Zeebrugge.pdf'],
    ['Communiqué « Ça va » (mise à jour) *2024*.pdf'],
    ['Ελληνικά και 日本語.pdf'],
  ])('`%s` survives as the file name and the header stays ASCII', (name) => {
    const header = contentDisposition(name);
    expect(header).toMatch(/^inline; filename="[\x20-\x7e]*"/);
    expect(header).toMatch(/^[\x20-\x7e]+$/);
    expect(fileNameOf(header)).toBe(name);
  });

  test('an ASCII name needs no extended parameter', () => {
    expect(contentDisposition('climate-pledge-en.pdf')).toBe('inline; filename="climate-pledge-en.pdf"');
  });

  test('the extended value percent-encodes UTF-8 as in the RFC 5987 example, and the characters outside attr-char', () => {
    const header = contentDisposition('£ and € rates');
    expect(/filename\*=([^;]+)/.exec(header)![1]!.toLowerCase()).toBe("utf-8''%c2%a3%20and%20%e2%82%ac%20rates");
    expect(/filename\*=UTF-8''(\S+)/.exec(contentDisposition("l'été (1)*"))![1]).not.toMatch(/['()*]/);
  });

  test('the ASCII fallback drops accents and never breaks the quoted string', () => {
    const header = contentDisposition('Réponse "officielle" 100%.pdf');
    const fallback = /filename="([^"]*)"/.exec(header)![1]!;
    expect(fallback).toMatch(/^Reponse _officielle_ 100_\.pdf$/);
    expect(fileNameOf(header)).toBe('Réponse "officielle" 100%.pdf');
  });

  test('a title becomes a file name without path separators or reserved characters', () => {
    expect(fileNameFromTitle('Q&A: 2024/25 — “what’s next?”', '.pdf')).toBe('Q&A 2024 25 — “what’s next ”.pdf');
    expect(fileNameFromTitle('  \u0000 ', '.pdf')).toBe('document.pdf');
  });
});

describe('headers from the key', () => {
  test.each([
    ['nl/x/index.html', 'text/html; charset=utf-8'],
    ['nl/x/x-nl.pdf', 'application/pdf'],
    ['nl/x/x-nl.md', 'text/markdown; charset=utf-8'],
    ['nl/feed.xml', 'application/atom+xml'],
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/style.css', 'text/css; charset=utf-8'],
    ['nl/x/unknown.bin', 'application/octet-stream'],
  ])('`%s` is served as `%s`', (key, type) => {
    expect(contentTypeOf(key)).toBe(type);
  });

  test('every object, PDFs and images included, is reused at most 5 minutes and then revalidated, so a correction reaches readers within 5 minutes', () => {
    for (const key of ['nl/s/index.html', 'nl/s/s-nl.md', 'nl/feed.xml', 'nl/s/s-nl.pdf', 'nl/s/photo.png']) {
      const { cacheControl } = headersFor({ key, sha256: 'x' });
      expect(cacheControl, key).toBe(CACHE_CONTROL);
    }
    expect(Number(/max-age=(\d+)/.exec(CACHE_CONTROL)![1])).toBeLessThanOrEqual(300);
    expect(CACHE_CONTROL).toContain('must-revalidate');
    expect(CACHE_CONTROL).not.toContain('stale-while-revalidate');
  });

  test('the language comes from the first folder; root files and other folders have none', () => {
    expect(localeOf('nl-BE/x/index.html')).toBe('nl-BE');
    expect(localeOf('fr/index.html')).toBe('fr');
    expect(localeOf('index.html')).toBeUndefined();
    expect(localeOf('assets/logo.svg')).toBeUndefined();
    // A root file named like a locale is in no locale's folder.
    expect(localeOf('fr')).toBeUndefined();
    expect(localeOf('nl-BE')).toBeUndefined();
  });

  test('a PDF is named after its localized title; metadata carries the content hash and the source revision', () => {
    const headers = headersFor({ key: 'fr/x/x-fr.pdf', sha256: 'a'.repeat(64), revision: 'b'.repeat(64), title: 'Déclaration' });
    expect(fileNameOf(headers.contentDisposition!)).toBe('Déclaration.pdf');
    expect(headers.contentLanguage).toBe('fr');
    expect(headers.metadata).toEqual({ sha256: 'a'.repeat(64), revision: 'b'.repeat(64) });
    expect(headersFor({ key: 'fr/x/index.html', sha256: 'a'.repeat(64) }).contentDisposition).toBeUndefined();
  });

  test('the fingerprint changes with any header, so a new header policy re-uploads', () => {
    const base = headersFor({ key: 'fr/x/x-fr.pdf', sha256: 'a'.repeat(64), title: 'A' });
    expect(headersFingerprint(base)).toBe(headersFingerprint({ ...base }));
    expect(headersFingerprint({ ...base, cacheControl: 'no-cache' })).not.toBe(headersFingerprint(base));
    expect(headersFingerprint({ ...base, metadata: { ...base.metadata, revision: 'c' } })).not.toBe(headersFingerprint(base));
  });

  test('the fingerprint of unchanged headers is the one earlier publishes recorded, so an upgrade of the tool re-uploads nothing', () => {
    // Recorded in every bucket's manifest: a new way of computing it must give the same value.
    const pdf = headersFor({ key: 'fr/x/x-fr.pdf', sha256: 'a'.repeat(64), revision: 'b'.repeat(64), title: 'Déclaration' });
    expect(headersFingerprint(pdf)).toBe('a16a1520ce07d633');
    expect(headersFingerprint(headersFor({ key: 'index.html', sha256: 'c'.repeat(64) }))).toBe('fe6bc43dc6ae78cd');
  });

  test('the title of a localized Markdown file is read from its front matter', () => {
    expect(frontMatterTitle('---\ntitle: "Déclaration : ça"\nlang: fr\n---\n\nText\n')).toBe('Déclaration : ça');
    expect(frontMatterTitle('No front matter')).toBeUndefined();
  });
});

describe('upload phases', () => {
  test.each([
    ['nl/x/x-nl.pdf', 'files'],
    ['nl/x/x-nl.md', 'files'],
    ['assets/style.css', 'files'],
    ['nl/x/index.html', 'pages'],
    ['nl/index.html', 'indexes'],
    ['nl/feed.xml', 'indexes'],
    ['index.html', 'home'],
  ])('`%s` is uploaded with the %s', (key, phase) => {
    expect(phaseOf(key)).toBe(phase);
  });
});
