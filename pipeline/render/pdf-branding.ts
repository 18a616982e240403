/**
 * The organisation in the PDF, as a press office sends a statement: a
 * letterhead on page 1 (logo and name), the "About <organisation>"
 * boilerplate and the press contact at the end (without the lines the
 * signature already gives), and on every page a footer with the page number
 * in the document's language and the online URL of this version.
 */
import type { Root } from 'mdast';
import SVGtoPDF from 'svg-to-pdfkit';
import { block } from './pdf-blocks.ts';
import { COLOR, MARGIN, SIZE, artifact, horizontalRule, keepWithNext, writeRuns, type Box, type Context, type Run, type Struct } from './pdf-text.ts';
import { organisation, type Brand, type LogoAsset } from './branding.ts';
import { contactBeyondSignature } from './signature.ts';
import type { Contact } from '../types.ts';

const LOGO_HEIGHT = 30;

/** Width and height of an SVG logo from its `viewBox` (or `width`/`height`), for its aspect ratio. */
function svgSize(svg: string): { width: number; height: number } {
  const box = /\bviewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(svg);
  const width = Number(box?.[1] ?? /\bwidth\s*=\s*["']([\d.]+)/.exec(svg)?.[1]);
  const height = Number(box?.[2] ?? /\bheight\s*=\s*["']([\d.]+)/.exec(svg)?.[1]);
  return width > 0 && height > 0 ? { width, height } : { width: 1, height: 1 };
}

/** Draw the logo with its top left at `x`, `y`, `LOGO_HEIGHT` high; returns its width. */
function drawLogo(context: Context, logo: LogoAsset, x: number, y: number): number {
  const { doc } = context;
  if (logo.type === 'png') {
    const image = doc.openImage(logo.data);
    const width = (image.width * LOGO_HEIGHT) / image.height;
    doc.image(image, x, y, { width, height: LOGO_HEIGHT });
    return width;
  }
  const text = logo.data.toString('utf8');
  const size = svgSize(text);
  // Without its own width and height, the outer <svg> fills the box it is given.
  const svg = text.replace(/<svg\b[^>]*>/, (tag) => tag.replace(/\s(?:width|height)\s*=\s*("[^"]*"|'[^']*')/g, ''));
  const width = Math.min(4 * LOGO_HEIGHT, (size.width * LOGO_HEIGHT) / size.height);
  // The SVG was rebuilt from the allowlist; nothing it names is ever loaded.
  SVGtoPDF(doc, svg, x, y, { width, height: LOGO_HEIGHT, assumePt: true, imageCallback: () => '', documentCallback: () => [], warningCallback: () => {} });
  return width;
}

/** Page 1's letterhead: logo and organisation, a rule in the accent colour. Decoration of the page, so an artifact. */
export function letterhead(context: Context, box: Box, brand: Brand): void {
  if (!brand.logo && !brand.site.name) return;
  const { doc } = context;
  const top = doc.y;
  artifact(doc, () => {
    const width = brand.logo ? drawLogo(context, brand.logo, box.x, top) + 10 : 0;
    if (brand.site.name)
      doc
        .font('bold')
        .fontSize(15)
        .fillColor(COLOR.text)
        .text(brand.site.name, box.x + width, top + LOGO_HEIGHT / 2 - 9, { width: box.width - width, lineBreak: false });
    doc
      .moveTo(box.x, top + LOGO_HEIGHT + 10)
      .lineTo(box.x + box.width, top + LOGO_HEIGHT + 10)
      .lineWidth(1.5)
      .strokeColor(brand.site.accentColor)
      .stroke();
  });
  doc.x = box.x;
  doc.y = top + LOGO_HEIGHT + 28;
}

function heading(context: Context, parent: Struct, text: string, box: Box) {
  block(context, parent, { type: 'heading', depth: 2, children: [{ type: 'text', value: text }] }, box);
}

/**
 * The end of the document: the boilerplate, then the press contact (the
 * statement's, else the site's) without what the signature already says.
 */
export function closing(context: Context, root: Struct, box: Box, brand: Brand | undefined, contact: Contact | undefined, tree: Root): void {
  const { doc, locale, options } = context;
  const { strings } = options;
  const about = brand && strings.about(locale, organisation(brand, strings, locale));
  const shown = contactBeyondSignature(contact ?? brand?.site.contact, tree);
  if (!about && !shown) return;
  doc.y += 6;
  keepWithNext(doc, 90);
  horizontalRule(doc, box);
  doc.y += 8;
  if (about) {
    const section = doc.struct('Sect');
    root.add(section);
    heading(context, section, about.heading, box);
    const text = doc.struct('P');
    section.add(text);
    writeRuns(context, text, [{ text: about.text, font: 'regular' }], box);
    text.end();
    section.end();
    doc.y += 4;
  }
  if (!shown) return;
  const section = doc.struct('Sect');
  root.add(section);
  keepWithNext(doc, 70);
  heading(context, section, strings.t(locale, 'statement.contact'), box);
  const lines: Run[] = [];
  const add = (items: Run[]) => {
    if (lines.length > 0) lines.push({ text: '\n', font: 'regular' });
    lines.push(...items);
  };
  if (shown.name) add([{ text: shown.name, font: 'bold' }]);
  if (shown.role) add([{ text: shown.role, font: 'regular' }]);
  if (shown.email)
    add([
      { text: `${strings.t(locale, 'statement.email')}: `, font: 'regular' },
      { text: shown.email, font: 'regular', link: `mailto:${shown.email}` },
    ]);
  if (shown.phone)
    add([
      { text: `${strings.t(locale, 'statement.phone')}: `, font: 'regular' },
      { text: shown.phone, font: 'regular', link: `tel:${shown.phone.replace(/[^\d+]/g, '')}` },
    ]);
  const element = doc.struct('P');
  section.add(element);
  writeRuns(context, element, lines, box);
  element.end();
  section.end();
}

/** Every page's footer, as pagination artifacts: this version's URL (a link) on the left, "Pagina 1 van 2" on the right. */
export function pageFooters(context: Context, box: Box): void {
  const { doc, locale, options, pageUrl } = context;
  const range = doc.bufferedPageRange();
  for (let index = 0; index < range.count; index++) {
    doc.switchToPage(range.start + index);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN / 2 - SIZE.small;
    const number = options.strings.t(locale, 'pdf.page', { page: index + 1, pages: range.count });
    artifact(doc, () => {
      doc.font('regular').fontSize(SIZE.small).fillColor(COLOR.muted);
      const numberWidth = doc.widthOfString(number);
      if (pageUrl) doc.text(pageUrl, box.x, y, { width: box.width - numberWidth - 12, lineBreak: false, ellipsis: true, link: pageUrl });
      doc.text(number, box.x + box.width - numberWidth - 1, y, { width: numberWidth + 1, lineBreak: false });
    });
    doc.page.margins.bottom = bottom;
  }
}
