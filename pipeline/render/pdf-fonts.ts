/**
 * The PDF's fonts: DejaVu Sans (npm `dejavu-fonts-ttf`, full Latin), parsed
 * once per process with fontkit and handed to pdfkit as parsed fonts
 * (`registerFont` takes a fontkit font since pdfkit 0.20). Every document
 * still embeds its own subset. What each document would otherwise pay again
 * is paid once per process:
 *
 * - parsing the font files (4× the time of rendering a document);
 * - the hinting programs (`fpgm`, `prep`, `cvt `: thousands of numbers,
 *   ignored by PDF viewers) are dropped from the font file before parsing,
 *   so no subset re-encodes them;
 * - shaping: pdfkit lays out each word with fontkit (OpenType shaping, the
 *   bulk of the time) and caches the result per document; the cache is
 *   shared between documents instead;
 * - decoding a glyph's outline, which fontkit's subsetter does per document
 *   and does not cache: memoized per glyph.
 *
 * The last two use internals, pdfkit's `EmbeddedFont.layoutCache` and
 * fontkit's `Glyph._decode`: without them a document takes 45% and 30%
 * longer (the benchmark corpus; caching fontkit's public `layout` instead,
 * with a copy per document for pdfkit to scale, still took 15% longer).
 * `package.json` pins pdfkit and fontkit exactly for them, and
 * test/render-pdf.test.ts fails if an upgrade changes either.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as fontkit from 'fontkit';

export type FontName = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

const FONT_FILES: Record<FontName, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

const HINTING = new Set(['fpgm', 'prep', 'cvt ']);

let fonts: Record<FontName, fontkit.Font> | undefined;

/** The five fonts, parsed on first use. */
export function pdfFonts(): Record<FontName, fontkit.Font> {
  if (!fonts) {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const entries = Object.entries(FONT_FILES).map(([name, file]) => [
      name,
      decodingOnce(fontkit.create(withoutTables(readFileSync(path.join(dir, file)), HINTING))),
    ]);
    fonts = Object.fromEntries(entries) as Record<FontName, fontkit.Font>;
  }
  return fonts;
}

const layouts = new Map<string, Record<string, unknown>>();

/**
 * Register the fonts with `doc` under their names and open each in a fixed
 * order (each keeps its resource name, `F1`…`F5`, whichever a document uses
 * first), giving each the word layouts of every document before.
 */
export function registerFonts(doc: PDFKit.PDFDocument): void {
  const loaded = pdfFonts();
  for (const [name, font] of Object.entries(loaded)) doc.registerFont(name, font);
  for (const name of Object.keys(loaded)) {
    doc.font(name);
    // Internal to pdfkit 0.20.2 (pinned): the open font and its layout cache.
    const open = (doc as unknown as { _font: { layoutCache?: Record<string, unknown> } })._font;
    if (!layouts.has(name)) layouts.set(name, Object.create(null) as Record<string, unknown>);
    if (open.layoutCache) open.layoutCache = layouts.get(name);
  }
  doc.font('regular');
}

/**
 * A TrueType file without the tables named: its table directory is
 * rewritten, the data of the other tables stays where it is.
 */
export function withoutTables(file: Buffer, drop: ReadonlySet<string>): Buffer {
  const count = file.readUInt16BE(4);
  const kept = Array.from({ length: count }, (_, index) => file.subarray(12 + 16 * index, 28 + 16 * index)).filter(
    (record) => !drop.has(record.toString('latin1', 0, 4)),
  );
  const out = Buffer.from(file);
  const power = 2 ** Math.floor(Math.log2(kept.length));
  out.writeUInt16BE(kept.length, 4);
  out.writeUInt16BE(power * 16, 6);
  out.writeUInt16BE(Math.log2(power), 8);
  out.writeUInt16BE((kept.length - power) * 16, 10);
  kept.forEach((record, index) => record.copy(out, 12 + 16 * index));
  out.fill(0, 12 + 16 * kept.length, 12 + 16 * count);
  return out;
}

/** Internal to fontkit 2.0.4 (pinned): what its subsetter calls for each glyph of a subset. */
interface Decoding {
  _decode?: () => unknown;
}

/** `font`, whose glyphs each decode their outline once. */
function decodingOnce(font: fontkit.Font): fontkit.Font {
  return Object.create(font, {
    getGlyph: {
      value(id: number, codePoints?: number[]): fontkit.Glyph {
        const glyph = font.getGlyph(id, codePoints);
        memoizeDecoding(glyph as fontkit.Glyph & Decoding);
        return glyph;
      },
    },
  }) as fontkit.Font;
}

/** Decode `glyph` once; an own property of the glyph, so fontkit's classes stay as they are. */
function memoizeDecoding(glyph: fontkit.Glyph & Decoding) {
  const decode = glyph._decode;
  if (typeof decode !== 'function' || Object.hasOwn(glyph, '_decode')) return;
  let decoded: { value: unknown } | undefined;
  Object.defineProperty(glyph, '_decode', {
    configurable: true,
    writable: true,
    value: () => (decoded ??= { value: decode.call(glyph) }).value,
  });
}
