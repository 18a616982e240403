/**
 * Stage 5b: render a localized statement to a tagged PDF with pdfkit, in
 * Node, from the same tree as the web page: one handler per node type. The
 * font (DejaVu Sans, full Latin) is parsed once per process and reused. The
 * output is deterministic: dates come from the statement, the file ID is
 * derived from them, nothing random is written.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import * as fontkit from 'fontkit';
import type { Definition, FootnoteDefinition, Heading, Image, List, Nodes, PhrasingContent, Root, RootContent, Table } from 'mdast';
import { visit } from 'unist-util-visit';
import { toString } from 'mdast-util-to-string';
import { isSafeUrl } from '../check/safety.ts';
import { pagePath } from './html.ts';
import type { StatementAssets } from './assets.ts';
import type { InterfaceStrings } from './strings.ts';
import type { LocalizedDocument, Locale } from '../types.ts';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;
type FontName = 'regular' | 'bold' | 'italic' | 'boldItalic' | 'mono';

const FONT_FILES: Record<FontName, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  italic: 'DejaVuSans-Oblique.ttf',
  boldItalic: 'DejaVuSans-BoldOblique.ttf',
  mono: 'DejaVuSansMono.ttf',
};

let fonts: Record<FontName, unknown> | undefined;

interface Glyph {
  _font: unknown;
  _decode(): unknown;
}

/**
 * DejaVu (npm `dejavu-fonts-ttf`), parsed once: parsing per document costs
 * 4×. Each document still embeds its own subset; two costs of that are cut:
 * the hinting programs (`fpgm`, `prep`, `cvt `, thousands of numbers
 * re-encoded per document, ignored by PDF viewers) are left out, and a
 * glyph's outline header is decoded once per process instead of per document.
 */
function loadFonts(): Record<FontName, unknown> {
  if (!fonts) {
    const dir = path.join(path.dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const ours = new WeakSet<object>();
    fonts = Object.fromEntries(
      Object.entries(FONT_FILES).map(([name, file]) => {
        const parsed = fontkit.create(readFileSync(path.join(dir, file))) as unknown as { getGlyph(id: number): Glyph };
        const font = Object.create(parsed) as object;
        for (const table of ['fpgm', 'prep', 'cvt ']) Object.defineProperty(font, table, { value: undefined });
        ours.add(parsed);
        ours.add(font);
        const glyphClass = Object.getPrototypeOf(parsed.getGlyph(0)) as Glyph & { [memoized]?: true };
        if (!glyphClass[memoized]) {
          const decode = glyphClass._decode;
          const decoded = new WeakMap<Glyph, unknown>();
          glyphClass._decode = function (this: Glyph) {
            if (!ours.has(this._font as object)) return decode.call(this);
            if (!decoded.has(this)) decoded.set(this, decode.call(this));
            return decoded.get(this);
          };
          glyphClass[memoized] = true;
        }
        return [name, font];
      }),
    ) as Record<FontName, unknown>;
  }
  return fonts;
}

const memoized = Symbol('statement-pipeline memoized glyph decoding');

const layouts = new Map<FontName, Record<string, unknown>>();

/**
 * pdfkit lays out each word with fontkit (OpenType shaping, the bulk of the
 * time) and caches the result per document; the font is shared, so the
 * cache can be too. Word layouts hold glyph ids and scaled positions only.
 */
function shareLayouts(doc: Doc, name: FontName) {
  doc.font(name);
  const font = (doc as unknown as { _font: { layoutCache?: Record<string, unknown> } })._font;
  let cache = layouts.get(name);
  if (!cache) layouts.set(name, (cache = Object.create(null) as Record<string, unknown>));
  if (font.layoutCache) font.layoutCache = cache;
}

const COLOR = { text: '#1b1b1b', muted: '#4a4a4a', link: '#0b4f9c', line: '#c8c8c8' };
const SIZE = { body: 10.5, small: 8.5, h: [20, 15, 12.5, 11.5, 11, 10.5] };
const MARGIN = 64;
const LINE_GAP = 2.5;

export interface PdfOptions {
  strings: InterfaceStrings;
  assets: StatementAssets;
  baseUrl?: string;
}

interface Run {
  text: string;
  font: FontName;
  link?: string;
  goTo?: string;
  strike?: boolean;
}

interface Context {
  doc: Doc;
  locale: Locale;
  options: PdfOptions;
  /** Absolute URL of the statement's page, to resolve relative links against. */
  pageUrl?: string;
  definitions: Map<string, Definition>;
  footnotes: Map<string, number>;
}

interface Box {
  x: number;
  width: number;
}

/** Where a link in the PDF goes: absolute when the site URL is known, internal for fragments. */
function target(url: string, context: Context): Pick<Run, 'link' | 'goTo'> {
  if (!url || url === '#' || !isSafeUrl(url)) return {};
  if (url.startsWith('#')) return { goTo: decodeURIComponent(url.slice(1)) };
  if (/^[a-z][a-z0-9+.-]*:/i.test(url)) return { link: url };
  return { link: context.pageUrl ? new URL(url, context.pageUrl).href : url };
}

function runs(nodes: PhrasingContent[], context: Context, style: { bold?: boolean; italic?: boolean; strike?: boolean } = {}, link: Pick<Run, 'link' | 'goTo'> = {}): Run[] {
  const font: FontName = style.bold && style.italic ? 'boldItalic' : style.bold ? 'bold' : style.italic ? 'italic' : 'regular';
  const out: Run[] = [];
  for (const node of nodes) {
    switch (node.type) {
      case 'text':
        out.push({ text: node.value.replace(/[ \t]*\n[ \t]*/g, ' '), font, strike: style.strike, ...link });
        break;
      case 'emphasis':
        out.push(...runs(node.children, context, { ...style, italic: true }, link));
        break;
      case 'strong':
        out.push(...runs(node.children, context, { ...style, bold: true }, link));
        break;
      case 'delete':
        out.push(...runs(node.children, context, { ...style, strike: true }, link));
        break;
      case 'inlineCode':
        out.push({ text: node.value, font: 'mono', ...link });
        break;
      case 'break':
        out.push({ text: '\n', font });
        break;
      case 'link':
        out.push(...runs(node.children, context, style, target(node.url, context)));
        break;
      case 'linkReference': {
        const definition = context.definitions.get(node.identifier.toLowerCase());
        out.push(...runs(node.children, context, style, definition ? target(definition.url, context) : {}));
        break;
      }
      case 'footnoteReference': {
        const number = context.footnotes.get(node.identifier.toLowerCase());
        if (number !== undefined) out.push({ text: `[${number}]`, font, goTo: `fn-${number}` });
        break;
      }
      case 'image':
      case 'imageReference':
        if (node.alt) out.push({ text: `[${node.alt}]`, font: 'italic', ...link });
        break;
      default:
        break;
    }
  }
  return out;
}

/** Keep a heading with what follows it: start a new page when it would sit at the bottom. */
function keepWithNext(doc: Doc, space: number) {
  if (doc.y + space > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** Write runs as one tagged block of text: each link is a `Link` element with its annotation. */
function writeRuns(context: Context, parent: Struct, list: Run[], box: Box, size = SIZE.body, color = COLOR.text, extra: PDFKit.Mixins.TextOptions = {}) {
  const { doc } = context;
  // Hard line breaks end a line of continued text; each line is laid out on its own.
  const lines: Run[][] = [[]];
  for (const run of list) {
    if (run.text === '\n') lines.push([]);
    else if (run.text.length > 0) lines.at(-1)!.push({ ...run });
  }
  lines.forEach((runsOfLine, line) => {
    // Leading and trailing spaces of a line are layout, not text; a run left empty is dropped.
    if (runsOfLine.length === 0) return;
    runsOfLine[0]!.text = runsOfLine[0]!.text.replace(/^\s+/, '');
    runsOfLine.at(-1)!.text = runsOfLine.at(-1)!.text.replace(/\s+$/, '');
    const items = runsOfLine.filter((run) => run.text.length > 0);
    doc.x = box.x;
    items.forEach((run, index) => {
      const options = {
        ...(line === 0 ? extra : {}),
        width: box.width,
        lineGap: LINE_GAP,
        continued: index < items.length - 1,
        link: run.link ?? null,
        goTo: run.goTo,
        underline: Boolean(run.link || run.goTo),
        strike: Boolean(run.strike),
      } as PDFKit.Mixins.TextOptions;
      const draw = () => {
        doc.font(run.font).fontSize(size).fillColor(run.link || run.goTo ? COLOR.link : color);
        doc.text(run.text, options);
      };
      if (run.link || run.goTo) {
        const link = doc.struct('Link');
        parent.add(link);
        link.add(draw);
        link.end();
      } else parent.add(draw);
    });
  });
  doc.fillColor(COLOR.text);
}

/** Decorative drawing is an artifact: outside the structure, skipped by screen readers. */
function artifact(doc: Doc, draw: () => void) {
  doc.markContent('Artifact');
  draw();
  doc.endMarkedContent();
}

function paragraph(context: Context, parent: Struct, children: PhrasingContent[], box: Box, type = 'P') {
  const { doc } = context;
  const images = children.filter((child): child is Image => child.type === 'image');
  if (images.length > 0 && children.every((child) => child.type === 'image' || (child.type === 'text' && !child.value.trim()))) {
    for (const image of images) figure(context, parent, image, box);
    return;
  }
  const element = doc.struct(type);
  parent.add(element);
  writeRuns(context, element, runs(children, context), box);
  element.end();
  doc.y += 7;
}

function figure(context: Context, parent: Struct, node: Image, box: Box) {
  const { doc } = context;
  const asset = [...context.options.assets.images.values()].find((candidate) => node.url === encodeURI(candidate.name));
  const alt = node.alt || context.options.strings.t(context.locale, 'statement.image');
  // pdfkit embeds PNG and JPEG only; other images are shown by their text alternative.
  if (!asset || (asset.type !== 'png' && asset.type !== 'jpeg')) {
    const element = doc.struct('P');
    parent.add(element);
    writeRuns(context, element, [{ text: `[${alt}]`, font: 'italic' }], box);
    element.end();
    doc.y += 7;
    return;
  }
  const image = (doc as unknown as { openImage(data: Buffer): { width: number; height: number } }).openImage(asset.data);
  const scale = Math.min(1, box.width / image.width, 320 / image.height);
  const height = image.height * scale;
  keepWithNext(doc, height);
  const element = doc.struct('Figure', { alt });
  parent.add(element);
  const top = doc.y;
  element.add(() => doc.image(image as unknown as Buffer, box.x, top, { width: image.width * scale, height }));
  element.end();
  doc.y = top + height + 10;
}

function list(context: Context, parent: Struct, node: List, box: Box) {
  const { doc } = context;
  const element = doc.struct('L');
  parent.add(element);
  const indent = 18;
  node.children.forEach((item, index) => {
    const li = doc.struct('LI');
    element.add(li);
    const top = doc.y;
    const label = node.ordered ? `${(node.start ?? 1) + index}.` : '•';
    li.add(doc.struct('Lbl', {}, () => doc.font('regular').fontSize(SIZE.body).fillColor(COLOR.text).text(label, box.x, top, { width: indent - 4, lineBreak: false })));
    doc.y = top;
    const body = doc.struct('LBody');
    li.add(body);
    blocks(context, body, item.children, { x: box.x + indent, width: box.width - indent });
    if (node.spread === false) doc.y -= 4;
    body.end();
    li.end();
  });
  element.end();
  doc.y += 4;
}

/** A table as a grid: header cells `TH`, body cells `TD`, rows `TR`; rules are artifacts. */
function table(context: Context, parent: Struct, node: Table, box: Box) {
  const { doc } = context;
  const columns = Math.max(...node.children.map((row) => row.children.length));
  const padding = 4;
  const size = SIZE.body - 1;
  // Columns share the width in proportion to their longest text, none narrower than a fifth of its share.
  const longest = Array.from({ length: columns }, (_, column) => Math.max(4, ...node.children.map((row) => toString(row.children[column] ?? { type: 'text', value: '' }).length)));
  const sum = longest.reduce((total, value) => total + value, 0);
  const floor = box.width / columns / 5;
  const raw = longest.map((value) => Math.max(floor, (box.width * value) / sum));
  const widths = raw.map((value) => (value * box.width) / raw.reduce((total, width) => total + width, 0));
  const element = doc.struct('Table');
  parent.add(element);
  doc.y += 2;
  node.children.forEach((row, rowIndex) => {
    const header = rowIndex === 0;
    const cells = Array.from({ length: columns }, (_, column) => row.children[column]);
    const heights = cells.map((cell, column) => {
      doc.font(header ? 'bold' : 'regular').fontSize(size);
      return doc.heightOfString(cell ? toString(cell) || ' ' : ' ', { width: widths[column]! - 2 * padding, lineGap: LINE_GAP });
    });
    const height = Math.max(...heights) + 2 * padding;
    keepWithNext(doc, height);
    const top = doc.y;
    const tr = doc.struct('TR');
    element.add(tr);
    let x = box.x;
    cells.forEach((cell, column) => {
      const width = widths[column]!;
      const td = doc.struct(header ? 'TH' : 'TD', (header ? { scope: 'Column' } : {}) as PDFKit.Mixins.StructureElementOptions);
      tr.add(td);
      if (cell) {
        doc.y = top + padding;
        const align = node.align?.[column] === 'right' ? 'right' : node.align?.[column] === 'center' ? 'center' : 'left';
        writeRuns(context, td, runs(cell.children, context, { bold: header }), { x: x + padding, width: width - 2 * padding }, size, COLOR.text, { align });
      }
      td.end();
      x += width;
    });
    tr.end();
    artifact(doc, () => {
      doc.lineWidth(0.5).strokeColor(COLOR.line);
      doc.rect(box.x, top, box.width, height).stroke();
      let edge = box.x;
      for (const width of widths.slice(0, -1)) {
        edge += width;
        doc.moveTo(edge, top).lineTo(edge, top + height).stroke();
      }
    });
    doc.y = top + height;
  });
  element.end();
  doc.x = box.x;
  doc.y += 10;
}

/** One handler per block node type. */
function block(context: Context, parent: Struct, node: RootContent, box: Box): void {
  const { doc } = context;
  switch (node.type) {
    case 'heading': {
      const heading = node as Heading;
      const size = SIZE.h[heading.depth - 1] ?? SIZE.body;
      doc.y += size * 0.6;
      keepWithNext(doc, size * 4);
      const element = doc.struct(`H${heading.depth}`);
      parent.add(element);
      const id = heading.data?.hProperties?.id;
      const list = runs(heading.children, context, { bold: true });
      writeRuns(context, element, list, box, size, COLOR.text, typeof id === 'string' ? { destination: id } : {});
      element.end();
      doc.y += 4;
      return;
    }
    case 'paragraph':
      return paragraph(context, parent, node.children, box);
    case 'list':
      return list(context, parent, node, box);
    case 'blockquote': {
      const element = doc.struct('BlockQuote');
      parent.add(element);
      const top = doc.y;
      const page = doc.page;
      blocks(context, element, node.children, { x: box.x + 14, width: box.width - 14 });
      element.end();
      if (doc.page === page) artifact(doc, () => doc.moveTo(box.x + 3, top).lineTo(box.x + 3, doc.y - 7).lineWidth(2.5).strokeColor(COLOR.line).stroke());
      doc.y += 4;
      return;
    }
    case 'code': {
      const element = doc.struct('Code');
      parent.add(element);
      writeRuns(context, element, [{ text: node.value, font: 'mono' }], box, SIZE.body - 1.5);
      element.end();
      doc.y += 7;
      return;
    }
    case 'table':
      return table(context, parent, node, box);
    case 'thematicBreak':
      doc.y += 4;
      artifact(doc, () => doc.moveTo(box.x, doc.y).lineTo(box.x + box.width, doc.y).lineWidth(0.5).strokeColor(COLOR.line).stroke());
      doc.y += 10;
      return;
    default:
      // Front matter, raw HTML, definitions and footnote definitions (rendered at the end) are not blocks of text here.
      return;
  }
}

function blocks(context: Context, parent: Struct, nodes: RootContent[], box: Box) {
  for (const node of nodes) block(context, parent, node, box);
}

/** Render the `locale` version of a statement (its tree prepared by `localizeTree`) to PDF bytes. */
export async function renderPdf(document: LocalizedDocument, options: PdfOptions): Promise<Buffer> {
  const { frontMatter, locale, statement } = document;
  const { strings } = options;
  const loaded = loadFonts();
  const date = new Date(`${frontMatter.date}T00:00:00Z`);
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    tagged: true,
    lang: locale,
    pdfVersion: '1.7',
    displayTitle: true,
    bufferPages: true,
    font: null,
    info: {
      Title: frontMatter.title,
      Author: frontMatter.author ?? frontMatter.contact?.name ?? '',
      Subject: frontMatter.summary ?? '',
      Creator: 'statement-pipeline',
      Producer: 'statement-pipeline (pdfkit)',
      CreationDate: date,
      ModDate: date,
    },
  } as unknown as PDFKit.PDFDocumentOptions);
  for (const [name, font] of Object.entries(loaded)) {
    doc.registerFont(name, font as string);
    shareLayouts(doc, name as FontName);
  }
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });

  const tree = document.tree as Root;
  const definitions = new Map<string, Definition>();
  const footnoteDefinitions: FootnoteDefinition[] = [];
  visit(tree, (node: Nodes) => {
    if (node.type === 'definition') definitions.set(node.identifier.toLowerCase(), node);
    if (node.type === 'footnoteDefinition') footnoteDefinitions.push(node);
  });
  // Footnotes are numbered in the order they are first referenced, as on the web page.
  const footnotes = new Map<string, number>();
  visit(tree, 'footnoteReference', (node) => {
    const id = node.identifier.toLowerCase();
    if (!footnotes.has(id) && footnoteDefinitions.some((definition) => definition.identifier.toLowerCase() === id)) footnotes.set(id, footnotes.size + 1);
  });
  const context: Context = {
    doc,
    locale,
    options,
    pageUrl: options.baseUrl ? new URL(pagePath(locale, statement.slug), options.baseUrl).href : undefined,
    definitions,
    footnotes,
  };
  const box: Box = { x: MARGIN, width: doc.page.width - 2 * MARGIN };
  const root = doc.struct('Document');
  doc.addStructure(root);

  const title = doc.struct('H1');
  root.add(title);
  writeRuns(context, title, [{ text: frontMatter.title, font: 'bold' }], box, SIZE.h[0]);
  title.end();
  doc.y += 4;
  const meta = doc.struct('P');
  root.add(meta);
  const line = [strings.t(locale, 'statement.published', { date: strings.date(locale, frontMatter.date) })];
  if (frontMatter.author) line.push(strings.t(locale, 'statement.author', { author: frontMatter.author }));
  writeRuns(context, meta, [{ text: line.join(' · '), font: 'regular' }], box, SIZE.body, COLOR.muted);
  meta.end();
  doc.y += 14;

  blocks(context, root, tree.children, box);

  if (footnotes.size > 0) {
    const section = doc.struct('Sect');
    root.add(section);
    block(context, section, { type: 'heading', depth: 2, children: [{ type: 'text', value: strings.t(locale, 'footnotes.label') }] }, box);
    const notes = doc.struct('L');
    section.add(notes);
    for (const [id, number] of [...footnotes].sort((a, b) => a[1] - b[1])) {
      const definition = footnoteDefinitions.find((candidate) => candidate.identifier.toLowerCase() === id)!;
      const note = doc.struct('LI');
      notes.add(note);
      const top = doc.y;
      note.add(doc.struct('Lbl', {}, () => doc.font('regular').fontSize(SIZE.body - 1).fillColor(COLOR.text).text(`${number}.`, box.x, top, { width: 18, lineBreak: false, destination: `fn-${number}` })));
      doc.y = top;
      const body = doc.struct('LBody');
      note.add(body);
      blocks(context, body, definition.children, { x: box.x + 18, width: box.width - 18 });
      body.end();
      note.end();
    }
    notes.end();
    section.end();
  }

  const contact = frontMatter.contact;
  if (contact && Object.values(contact).some(Boolean)) {
    const section = doc.struct('Sect');
    root.add(section);
    doc.y += 6;
    keepWithNext(doc, 90);
    artifact(doc, () => doc.moveTo(box.x, doc.y).lineTo(box.x + box.width, doc.y).lineWidth(0.5).strokeColor(COLOR.line).stroke());
    doc.y += 8;
    block(context, section, { type: 'heading', depth: 2, children: [{ type: 'text', value: strings.t(locale, 'statement.contact') }] }, box);
    const lines: Run[] = [];
    const add = (items: Run[]) => {
      if (lines.length > 0) lines.push({ text: '\n', font: 'regular' });
      lines.push(...items);
    };
    if (contact.name) add([{ text: contact.name, font: 'bold' }]);
    if (contact.role) add([{ text: contact.role, font: 'regular' }]);
    if (contact.email) add([{ text: `${strings.t(locale, 'statement.email')}: `, font: 'regular' }, { text: contact.email, font: 'regular', link: `mailto:${contact.email}` }]);
    if (contact.phone) add([{ text: `${strings.t(locale, 'statement.phone')}: `, font: 'regular' }, { text: contact.phone, font: 'regular', link: `tel:${contact.phone.replace(/[^\d+]/g, '')}` }]);
    const element = doc.struct('P');
    section.add(element);
    writeRuns(context, element, lines, box);
    element.end();
    section.end();
  }
  if (context.pageUrl) {
    doc.y += 10;
    const element = doc.struct('P');
    root.add(element);
    writeRuns(context, element, [{ text: context.pageUrl, font: 'regular', link: context.pageUrl }], box, SIZE.small);
    element.end();
  }
  root.end();

  // Page numbers, as pagination artifacts.
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    artifact(doc, () =>
      doc
        .font('regular')
        .fontSize(SIZE.small)
        .fillColor(COLOR.muted)
        .text(strings.t(locale, 'pdf.page', { page: index + 1, pages: range.count }), MARGIN, doc.page.height - MARGIN / 2 - SIZE.small, { width: box.width, align: 'center', lineBreak: false }),
    );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
