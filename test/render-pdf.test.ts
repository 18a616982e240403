import { describe, expect, it, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, fixtureProject } from './render-support.ts';

const slug = 'press-release';
const pdfPath = (root: string, locale: string, name = slug) => path.join(root, 'dist', locale, name, `${name}-${locale}.pdf`);
const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8' });
/** Text as a PDF reader extracts it, lines joined, so wrapped sentences compare whole. */
const text = (file: string) => run('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ');
const bundle = async (root: string, locale: string, name = slug) => JSON.parse(await readFile(path.join(root, 'locales', locale, `${name}.json`), 'utf8')) as Record<string, string>;
/** A tagged segment with its tags dropped, as it reads in the PDF. */
const plain = (value: string) => value.replace(/<\/?\d+\/?>/g, '');

describe('the PDFs', () => {
  let root: string;
  beforeAll(async () => {
    root = await fixtureProject();
    const report = await build(root);
    expect(report.diagnostics.count()).toEqual({ errors: 0, warnings: 0 });
  });

  it.each(['nl', 'fr'])('keep the %s text with its accents extractable, with title, date and page numbers', async (locale) => {
    const strings = await bundle(root, locale);
    const extracted = text(pdfPath(root, locale));
    for (const key of ['meta.title', 'our-response.we-updated-the-firmware', 'our-response.we-informed-customers-in', 'our-response.security-is-a-shared']) {
      expect(extracted).toContain(plain(strings[key]!));
    }
    expect(extracted).toMatch(locale === 'nl' ? /geëvalueerd.*geïnformeerd.*België/ : /maître d’œuvre.*naïve.*reçue et très appréciée/);
    expect(extracted).toContain(locale === 'nl' ? 'Gepubliceerd op 16 september 2023' : 'Publié le 16 septembre 2023');
    expect(extracted).toContain(locale === 'nl' ? 'Pagina 1 van 1' : 'Page 1 sur 1');
    expect(extracted).toContain('press@lydis.example');
  });

  it('carry title, author, dates from the statement, the language and a structure tree', async () => {
    const file = pdfPath(root, 'fr');
    const info = run('pdfinfo', ['-isodates', file]);
    expect(info).toContain(`Title:           ${(await bundle(root, 'fr'))['meta.title']}`);
    expect(info).toContain('Author:          Lydis');
    expect(info).toContain('Tagged:          yes');
    expect(info).toContain('CreationDate:    2023-09-16T00:00:00Z');
    expect(info).toContain('PDF version:     1.7');
    expect((await readFile(file)).toString('latin1')).toContain('/Lang (fr)');
    const structure = run('pdfinfo', ['-struct', file]);
    const tags = new Set([...structure.matchAll(/^\s*([A-Za-z0-9]+)\b/gm)].map((match) => match[1]));
    expect([...tags]).toEqual(expect.arrayContaining(['Document', 'H1', 'H2', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Link', 'BlockQuote', 'Table', 'TR', 'TH', 'TD', 'Figure']));
  });

  it('make links clickable: web, mailto, tel, and other statements in the same language', async () => {
    const urls = run('pdfinfo', ['-url', pdfPath(root, 'nl')]);
    for (const url of ['https://example.org/report', 'mailto:press@lydis.example', 'tel:+31301234567', 'https://press.example.com/nl/earlier-statement/', 'https://press.example.com/nl/press-release/']) {
      expect(urls).toContain(url);
    }
  });

  it('are byte-identical when built again from the same input', async () => {
    const other = await fixtureProject();
    await build(other);
    for (const locale of ['nl', 'fr', 'en']) {
      const [first, second] = await Promise.all([readFile(pdfPath(root, locale)), readFile(pdfPath(other, locale))]);
      expect(first.equals(second), locale).toBe(true);
    }
    await build(other, { force: true });
    expect((await readFile(pdfPath(root, 'nl'))).equals(await readFile(pdfPath(other, 'nl')))).toBe(true);
  });
});
