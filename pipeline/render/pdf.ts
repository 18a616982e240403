/**
 * Stage 5b: render a localized statement to a tagged PDF with pdfkit, in
 * Node, from the same tree as the web page: the document's frame here (title,
 * date line, footnotes), the organisation's parts (letterhead, boilerplate,
 * contact, footers) in pdf-branding.ts, one handler per block node
 * type in pdf-blocks.ts, runs of text in pdf-text.ts, the fonts (parsed once
 * per process) in pdf-fonts.ts, the file kept in memory in pdf-document.ts.
 * The output is deterministic: the dates are the version's publication and
 * last change (or the statement's date when it has no record), the file ID
 * is derived from them, nothing random is written.
 */
import type { Definition, FootnoteDefinition, Nodes, Root } from 'mdast';
import { BufferedPdf } from './pdf-document.ts';
import { registerFonts } from './pdf-fonts.ts';
import { eachNode } from './each-node.ts';
import { block, blocks } from './pdf-blocks.ts';
import { closing, letterhead, pageFooters } from './pdf-branding.ts';
import { COLOR, MARGIN, SIZE, writeRuns, type Box, type Context, type PdfOptions } from './pdf-text.ts';
import { pagePath } from './html.ts';
import { linkPath } from './template.ts';
import type { LocalizedDocument } from '../types.ts';

export type { PdfOptions } from './pdf-text.ts';

/** Render the `locale` version of a statement (its tree prepared by `localizeTree`) to PDF bytes. */
export async function renderPdf(document: LocalizedDocument, options: PdfOptions): Promise<Buffer> {
  const { frontMatter, locale, statement } = document;
  const { strings } = options;
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const { dates } = options;
  const doc = new BufferedPdf({
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
      // The organisation speaks: it is the author and the producer of its statements.
      Author: options.brand?.site.name ?? frontMatter.author ?? frontMatter.contact?.name ?? '',
      Subject: frontMatter.summary ?? '',
      Creator: 'statement-pipeline',
      Producer: options.brand?.site.name ?? 'statement-pipeline (pdfkit)',
      CreationDate: day(dates?.published ?? frontMatter.date),
      ModDate: day(dates?.updated ?? dates?.published ?? frontMatter.date),
    },
  } as unknown as PDFKit.PDFDocumentOptions);
  registerFonts(doc);
  const bytes = doc.bytes();

  const tree = document.tree as Root;
  const definitions = new Map<string, Definition>();
  const footnoteDefinitions: FootnoteDefinition[] = [];
  eachNode(tree, (child) => {
    const node = child as Nodes;
    if (node.type === 'definition') definitions.set(node.identifier.toLowerCase(), node);
    if (node.type === 'footnoteDefinition') footnoteDefinitions.push(node);
  });
  // Footnotes are numbered in the order they are first referenced, as on the web page.
  const footnotes = new Map<string, number>();
  eachNode(tree, (child) => {
    const node = child as Nodes;
    if (node.type !== 'footnoteReference') return;
    const id = node.identifier.toLowerCase();
    if (!footnotes.has(id) && footnoteDefinitions.some((definition) => definition.identifier.toLowerCase() === id)) footnotes.set(id, footnotes.size + 1);
  });
  const context: Context = {
    doc,
    locale,
    options,
    pageUrl: options.baseUrl ? new URL(linkPath(pagePath(locale, statement.slug), options.links ?? 'file'), options.baseUrl).href : undefined,
    definitions,
    footnotes,
  };
  const box: Box = { x: MARGIN, width: doc.page.width - 2 * MARGIN };
  const root = doc.struct('Document');
  doc.addStructure(root);
  if (options.brand) letterhead(context, box, options.brand);

  const partial = document.partial;
  const title = doc.struct('H1', partial?.kinds.includes('title') ? { lang: partial.locale } : {});
  root.add(title);
  writeRuns(context, title, [{ text: frontMatter.title, font: 'bold' }], box, SIZE.h[0]);
  title.end();
  doc.y += 4;
  const meta = doc.struct('P');
  root.add(meta);
  const line = [strings.t(locale, 'statement.published', { date: strings.date(locale, frontMatter.date) })];
  if (dates?.updated) line.push(strings.t(locale, 'statement.updated', { date: strings.date(locale, dates.updated) }));
  if (frontMatter.author) line.push(strings.t(locale, 'statement.author', { author: frontMatter.author }));
  writeRuns(context, meta, [{ text: line.join(' · '), font: 'regular' }], box, SIZE.body, COLOR.muted);
  meta.end();
  doc.y += 14;
  if (partial) {
    // Readers are told in their language that some parts are not theirs yet; those parts carry their own Lang.
    const notice = doc.struct('P');
    root.add(notice);
    writeRuns(
      context,
      notice,
      [{ text: strings.t(locale, 'statement.partial', { language: strings.t(partial.locale, 'language.name') }), font: 'italic' }],
      box,
    );
    notice.end();
    doc.y += 10;
  }

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
      note.add(
        doc.struct('Lbl', {}, () =>
          doc
            .font('regular')
            .fontSize(SIZE.body - 1)
            .fillColor(COLOR.text)
            .text(`${number}.`, box.x, top, { width: 18, lineBreak: false, destination: `fn-${number}` }),
        ),
      );
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

  closing(context, root, box, options.brand, frontMatter.contact, tree);
  root.end();

  pageFooters(context, box);
  doc.end();
  return bytes;
}
