/**
 * Stage 5: render one localized statement to everything its folder holds:
 * `dist/<lng>/<slug>/index.html`, `<slug>-<lng>.pdf`, `<slug>-<lng>.md` and
 * the images the page shows. The tree is reassembled once and rendered twice.
 */
import { localizedMarkdown } from '../reassemble/index.ts';
import { localizeTree, IMAGE_CONTENT_TYPES, type StatementAssets } from './assets.ts';
import { markdownName, pagePath, pdfName, renderStatementPage, type SiteContext } from './html.ts';
import { renderPdf } from './pdf.ts';
import type { PageEntry } from './site.ts';
import { contentHash, type DatesInput, versionDates } from './dates.ts';
import type { LocalizedDocument, Locale, VersionDates } from '../types.ts';

/** Bumped when the output of rendering changes, so caches never hide new work. */
export const RENDER_VERSION = '4';

export interface RenderedFile {
  /** Path below the output folder, `/`-separated. */
  key: string;
  content: string | Uint8Array;
  contentType: string;
}

/**
 * Render `document` (as returned by `reassemble`, its tree not yet
 * localized). `locales` are the languages the statement is published in.
 */
export async function renderDocument(
  document: LocalizedDocument,
  locales: Locale[],
  assets: StatementAssets,
  context: SiteContext,
  dating: DatesInput,
): Promise<{ files: RenderedFile[]; dates: VersionDates }> {
  const { locale, statement } = document;
  const folder = pagePath(locale, statement.slug);
  // The Markdown keeps the statement's own links and image paths.
  const markdown = localizedMarkdown(document);
  const dates = versionDates(dating, contentHash(markdown, assets.images.values()));
  localizeTree(document.tree, assets, context.site.links);
  const html = renderStatementPage(document, locales, context, dates);
  const pdf = await renderPdf(document, { strings: context.strings, assets, baseUrl: context.site.baseUrl, links: context.site.links, brand: context, dates });
  const files = [
    { key: `${folder}index.html`, content: html, contentType: 'text/html; charset=utf-8' },
    { key: folder + pdfName(locale, statement.slug), content: pdf, contentType: 'application/pdf' },
    { key: folder + markdownName(locale, statement.slug), content: markdown, contentType: 'text/markdown; charset=utf-8' },
    ...[...assets.images.values()].map((image) => ({ key: folder + image.name, content: image.data, contentType: IMAGE_CONTENT_TYPES[image.type] })),
  ];
  return { files, dates };
}

/** What the indexes list of a document, with the dates it was rendered with. */
export function pageEntry(document: LocalizedDocument, dates: VersionDates): PageEntry {
  const { frontMatter } = document;
  return {
    slug: document.statement.slug,
    locale: document.locale,
    title: frontMatter.title,
    date: frontMatter.date,
    ...(frontMatter.summary ? { summary: frontMatter.summary } : {}),
    ...(frontMatter.author ? { author: frontMatter.author } : {}),
    dates,
  };
}
