/**
 * Text in the PDF: the look (colours, sizes, margins), phrasing content as
 * runs of one font and one link, and writing runs as a tagged block.
 */
import type { Definition, PhrasingContent } from 'mdast';
import { isSafeUrl } from '../check/index.ts';
import type { FontName } from './pdf-fonts.ts';
import type { StatementAssets } from './assets.ts';
import type { InterfaceStrings } from './strings.ts';
import type { Brand } from './branding.ts';
import type { Locale, VersionDates } from '../types.ts';
import type { LinkStyle } from '../config.ts';

export type Doc = PDFKit.PDFDocument;
export type Struct = PDFKit.PDFStructureElement;

export const COLOR = { text: '#1b1b1b', muted: '#4a4a4a', link: '#0b4f9c', line: '#c8c8c8' };
export const SIZE = { body: 10.5, small: 8.5, h: [20, 15, 12.5, 11.5, 11, 10.5] };
export const MARGIN = 64;
export const LINE_GAP = 2.5;

export interface PdfOptions {
  strings: InterfaceStrings;
  assets: StatementAssets;
  baseUrl?: string;
  /** How the page's printed URL names it (`site.links`). Default `file`. */
  links?: LinkStyle;
  /** The organisation: letterhead, boilerplate, default press contact, metadata. */
  brand?: Brand;
  /** The version's publication and last change, for the document's dates. Default the statement's date. */
  dates?: VersionDates;
}

/** Text in one font, with at most one link. */
export interface Run {
  text: string;
  font: FontName;
  link?: string;
  goTo?: string;
  strike?: boolean;
}

/** What every handler of one document needs. */
export interface Context {
  doc: Doc;
  locale: Locale;
  options: PdfOptions;
  /** Absolute URL of the statement's page, to resolve relative links against. */
  pageUrl?: string;
  definitions: Map<string, Definition>;
  footnotes: Map<string, number>;
}

/** The horizontal extent a block is written in. */
export interface Box {
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

/** Phrasing content as runs; a hard break is a run of its own (`\n`). */
export function runs(
  nodes: PhrasingContent[],
  context: Context,
  style: { bold?: boolean; italic?: boolean; strike?: boolean } = {},
  link: Pick<Run, 'link' | 'goTo'> = {},
): Run[] {
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
export function keepWithNext(doc: Doc, space: number) {
  if (doc.y + space > doc.page.height - doc.page.margins.bottom) doc.addPage();
}

/** Write runs as one tagged block of text: each link is a `Link` element with its annotation. */
export function writeRuns(
  context: Context,
  parent: Struct,
  list: Run[],
  box: Box,
  size = SIZE.body,
  color = COLOR.text,
  extra: PDFKit.Mixins.TextOptions = {},
) {
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
        doc
          .font(run.font)
          .fontSize(size)
          .fillColor(run.link || run.goTo ? COLOR.link : color);
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
export function artifact(doc: Doc, draw: () => void) {
  doc.markContent('Artifact');
  draw();
  doc.endMarkedContent();
}

/** A thin horizontal rule across `box` at the current line: decoration, so an artifact. */
export function horizontalRule(doc: Doc, box: Box) {
  artifact(doc, () =>
    doc
      .moveTo(box.x, doc.y)
      .lineTo(box.x + box.width, doc.y)
      .lineWidth(0.5)
      .strokeColor(COLOR.line)
      .stroke(),
  );
}
