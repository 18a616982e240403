import { describe, expect, it, beforeAll, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import * as fontkit from 'fontkit';
import { pdfFonts, registerFonts, withoutTables } from '../pipeline/render/pdf-fonts.ts';
import { BufferedPdf } from '../pipeline/render/pdf-document.ts';
import { build, fixtureProject } from './render-support.ts';

const slug = 'press-release';
const pdfPath = (root: string, locale: string, name = slug) => path.join(root, 'dist', locale, name, `${name}-${locale}.pdf`);
const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8' });
/** Text as a PDF reader extracts it, lines joined, so wrapped sentences compare whole. */
const text = (file: string) => run('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/\s+/g, ' ');
const bundle = async (root: string, locale: string, name = slug) =>
  JSON.parse(await readFile(path.join(root, 'locales', locale, `${name}.json`), 'utf8')) as Record<string, string>;
/** A tagged segment with its tags dropped, as it reads in the PDF. */
const plain = (value: string) => value.replace(/<\/?\d+\/?>/g, '');

describe('the PDFs', () => {
  let root: string;
  beforeAll(async () => {
    root = await fixtureProject();
    const report = await build(root, { today: '2026-01-10' });
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

  it('carry title, author, the version’s first publication as creation and modification date (never published: the day of the build), the language and a structure tree', async () => {
    const file = pdfPath(root, 'fr');
    const info = run('pdfinfo', ['-isodates', file]);
    expect(info).toContain(`Title:           ${(await bundle(root, 'fr'))['meta.title']}`);
    expect(info).toContain('Author:          Lydis');
    expect(info).toContain('Tagged:          yes');
    expect(info).toContain('CreationDate:    2026-01-10T00:00:00Z');
    expect(info).toContain('ModDate:         2026-01-10T00:00:00Z');
    expect(info).toContain('PDF version:     1.7');
    expect((await readFile(file)).toString('latin1')).toContain('/Lang (fr)');
    const structure = run('pdfinfo', ['-struct', file]);
    const tags = new Set([...structure.matchAll(/^\s*([A-Za-z0-9]+)\b/gm)].map((match) => match[1]));
    expect([...tags]).toEqual(
      expect.arrayContaining(['Document', 'H1', 'H2', 'P', 'L', 'LI', 'Lbl', 'LBody', 'Link', 'BlockQuote', 'Table', 'TR', 'TH', 'TD', 'Figure']),
    );
  });

  it('make links clickable: web, mailto, tel, and other statements in the same language', async () => {
    const urls = run('pdfinfo', ['-url', pdfPath(root, 'nl')]);
    for (const url of [
      'https://example.org/report',
      'mailto:press@lydis.example',
      'tel:+31301234567',
      'https://press.example.com/nl/earlier-statement/',
      'https://press.example.com/nl/press-release/',
    ]) {
      expect(urls).toContain(url);
    }
  });

  it('are byte-identical when built again from the same input', async () => {
    const other = await fixtureProject();
    await build(other, { today: '2026-01-10' });
    for (const locale of ['nl', 'fr', 'en']) {
      const [first, second] = await Promise.all([readFile(pdfPath(root, locale)), readFile(pdfPath(other, locale))]);
      expect(first.equals(second), locale).toBe(true);
    }
    await build(other, { force: true, today: '2026-01-10' });
    expect((await readFile(pdfPath(root, 'nl'))).equals(await readFile(pdfPath(other, 'nl')))).toBe(true);
  });
});

/**
 * pdf-fonts.ts shares pdfkit's per-document word layouts between documents
 * and memoizes fontkit's glyph decoding, through internals of both (a third
 * of the time of a PDF each); pdf-document.ts collects the file from
 * pdfkit's `_write`. Both packages are pinned exactly for that; an
 * upgrade that changes the internals fails here, not as a slow or broken PDF.
 */
describe('the pdfkit and fontkit internals the PDFs rely on', () => {
  const require = createRequire(import.meta.url);
  const dejavu = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf');
  const HINTING = new Set(['fpgm', 'prep', 'cvt ']);
  const tags = (file: Buffer) => Array.from({ length: file.readUInt16BE(4) }, (_, index) => file.toString('latin1', 12 + 16 * index, 16 + 16 * index));

  it("pdfkit writes every byte of the file through `_write`: a BufferedPdf's bytes are those its stream would have emitted", async () => {
    expect(typeof (PDFDocument.prototype as unknown as { _write?: unknown })._write).toBe('function');
    const options = { font: null, tagged: true, info: { Title: 'Één “titel”', CreationDate: new Date('2026-01-10T00:00:00Z') } };
    const write = (doc: PDFKit.PDFDocument) => {
      registerFonts(doc);
      doc.text('Maître d’œuvre, geëvalueerd — “ﬁne” ', { link: 'https://example.com/é' });
      doc.addPage().font('mono').text('€ <>()\\ 100%');
      doc.end();
    };
    const streamed = new PDFDocument(options as unknown as PDFKit.PDFDocumentOptions);
    const chunks: Buffer[] = [];
    streamed.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => streamed.on('end', resolve));
    write(streamed);
    await ended;
    const buffered = new BufferedPdf(options as unknown as PDFKit.PDFDocumentOptions);
    const bytes = buffered.bytes();
    write(buffered);
    expect((await bytes).equals(Buffer.concat(chunks))).toBe(true);
  });

  it('pdfkit and fontkit are pinned to exact versions, and those are installed', async () => {
    const { dependencies } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of ['pdfkit', 'fontkit']) {
      expect(dependencies[name], name).toMatch(/^\d+\.\d+\.\d+$/);
      const installed = JSON.parse(await readFile(new URL(`../node_modules/${name}/package.json`, import.meta.url), 'utf8')) as { version: string };
      expect(installed.version, name).toBe(dependencies[name]);
    }
  });

  it("pdfkit looks words up in the font's `layoutCache`, which every document shares: a word is shaped once per process", () => {
    const font = pdfFonts().regular;
    const layout = vi.spyOn(font, 'layout');
    const write = (text: string) => {
      const doc = new PDFDocument({ font: null } as unknown as PDFKit.PDFDocumentOptions);
      registerFonts(doc);
      doc.text(text);
      doc.end();
      return doc as unknown as { _font: { layoutCache?: Record<string, unknown> } };
    };
    write('Qwyzzle fnorbic');
    const shaped = layout.mock.calls.map(([text]) => text);
    expect(shaped).toEqual(expect.arrayContaining(['Qwyzzle ', 'fnorbic']));
    const second = write('Qwyzzle fnorbic');
    expect(layout.mock.calls.length).toBe(shaped.length);
    expect(Object.keys(second._font.layoutCache ?? {})).toEqual(expect.arrayContaining(['Qwyzzle ', 'fnorbic']));
    layout.mockRestore();
  });

  it("fontkit's subsetter decodes each glyph with `_decode`, got through the font's `getGlyph`: decoded once, same bytes", () => {
    const font = pdfFonts().regular;
    const id = font.glyphForCodePoint(0xe9).id;
    const glyph = font.getGlyph(id) as fontkit.Glyph & { _decode(): unknown };
    expect(typeof (Object.getPrototypeOf(glyph) as { _decode?: unknown })._decode).toBe('function');
    expect(Object.hasOwn(glyph, '_decode')).toBe(true);
    expect(glyph._decode()).toMatchObject({ numberOfContours: expect.any(Number) });
    expect(glyph._decode()).toBe(glyph._decode());

    const decode = vi.spyOn(glyph, '_decode');
    const subset = font.createSubset();
    subset.includeGlyph(id);
    const bytes = subset.encode();
    expect(decode).toHaveBeenCalled();
    decode.mockRestore();

    const plain = fontkit.create(withoutTables(readFileSync(dejavu), HINTING)).createSubset();
    plain.includeGlyph(id);
    expect(Buffer.from(plain.encode()).equals(Buffer.from(bytes))).toBe(true);
  });

  it('the fonts are parsed without their hinting programs, and lay out text as before', () => {
    const file = readFileSync(dejavu);
    const stripped = withoutTables(file, HINTING);
    expect(tags(file)).toEqual(expect.arrayContaining([...HINTING]));
    expect(tags(stripped)).toEqual(tags(file).filter((tag) => !HINTING.has(tag)));
    const text = 'Maître d’œuvre, geëvalueerd — “ﬁne”';
    const ids = (bytes: Buffer) =>
      fontkit
        .create(bytes)
        .layout(text)
        .glyphs.map((glyph) => glyph.id);
    expect(ids(stripped)).toEqual(ids(file));
  });
});
