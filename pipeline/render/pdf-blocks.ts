/**
 * Block content in the PDF, one handler per node type: headings,
 * paragraphs, figures, lists, block quotes, code, tables, thematic breaks,
 * each a tagged structure element.
 */
import type { Heading, Image, List, Paragraph, RootContent, Table } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { COLOR, LINE_GAP, SIZE, artifact, horizontalRule, keepWithNext, runs, writeRuns, type Box, type Context, type Struct } from './pdf-text.ts';

/** Structure options of a block whose text is in another language than the document (a fallback to the source). */
export const languageOf = (node: { data?: { lang?: string } }): PDFKit.Mixins.StructureElementOptions => (node.data?.lang ? { lang: node.data.lang } : {});

function paragraph(context: Context, parent: Struct, node: Paragraph, box: Box, type = 'P') {
  const children = node.children;
  const { doc } = context;
  const images = children.filter((child): child is Image => child.type === 'image');
  if (images.length > 0 && children.every((child) => child.type === 'image' || (child.type === 'text' && !child.value.trim()))) {
    for (const image of images) figure(context, parent, image, box);
    return;
  }
  const element = doc.struct(type, languageOf(node));
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
  const image = doc.openImage(asset.data);
  const scale = Math.min(1, box.width / image.width, 320 / image.height);
  const height = image.height * scale;
  keepWithNext(doc, height);
  const element = doc.struct('Figure', { alt });
  parent.add(element);
  const top = doc.y;
  element.add(() => doc.image(image, box.x, top, { width: image.width * scale, height }));
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
    li.add(
      doc.struct('Lbl', {}, () =>
        doc
          .font('regular')
          .fontSize(SIZE.body)
          .fillColor(COLOR.text)
          .text(label, box.x, top, { width: indent - 4, lineBreak: false }),
      ),
    );
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
  const longest = Array.from({ length: columns }, (_, column) =>
    Math.max(4, ...node.children.map((row) => toString(row.children[column] ?? { type: 'text', value: '' }).length)),
  );
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
      const td = doc.struct(header ? 'TH' : 'TD', {
        ...(header ? { scope: 'Column' } : {}),
        ...(cell ? languageOf(cell) : {}),
      } as PDFKit.Mixins.StructureElementOptions);
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
        doc
          .moveTo(edge, top)
          .lineTo(edge, top + height)
          .stroke();
      }
    });
    doc.y = top + height;
  });
  element.end();
  doc.x = box.x;
  doc.y += 10;
}

/** One handler per block node type. */
export function block(context: Context, parent: Struct, node: RootContent, box: Box): void {
  const { doc } = context;
  switch (node.type) {
    case 'heading': {
      const heading = node as Heading;
      const size = SIZE.h[heading.depth - 1] ?? SIZE.body;
      doc.y += size * 0.6;
      keepWithNext(doc, size * 4);
      const element = doc.struct(`H${heading.depth}`, languageOf(heading));
      parent.add(element);
      const id = heading.data?.hProperties?.id;
      const list = runs(heading.children, context, { bold: true });
      writeRuns(context, element, list, box, size, COLOR.text, typeof id === 'string' ? { destination: id } : {});
      element.end();
      doc.y += 4;
      return;
    }
    case 'paragraph':
      return paragraph(context, parent, node, box);
    case 'list':
      return list(context, parent, node, box);
    case 'blockquote': {
      const element = doc.struct('BlockQuote');
      parent.add(element);
      const top = doc.y;
      const page = doc.page;
      blocks(context, element, node.children, { x: box.x + 14, width: box.width - 14 });
      element.end();
      if (doc.page === page)
        artifact(doc, () =>
          doc
            .moveTo(box.x + 3, top)
            .lineTo(box.x + 3, doc.y - 7)
            .lineWidth(2.5)
            .strokeColor(COLOR.line)
            .stroke(),
        );
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
      horizontalRule(doc, box);
      doc.y += 10;
      return;
    default:
      // Front matter, raw HTML, definitions and footnote definitions (rendered at the end) are not blocks of text here.
      return;
  }
}

export function blocks(context: Context, parent: Struct, nodes: RootContent[], box: Box) {
  for (const node of nodes) block(context, parent, node, box);
}
