/**
 * Discovery for search engines: `dist/sitemap.xml` with every published
 * page and, for each, its language versions as `xhtml:link` hreflang
 * alternates, and `dist/robots.txt` pointing at it. Both need absolute URLs,
 * so `site.baseUrl`. Pure functions of the site manifest's entries, so they
 * list exactly what the indexes list: withheld versions and the
 * pseudo-locale never appear.
 */
import { x } from 'xastscript';
import { block, serializeDocument } from '../project/index.ts';
import { linkedLocales, pagePath, type SiteContext } from './html.ts';
import { linkPath } from './template.ts';
import type { PageEntry } from './site.ts';
import type { Locale } from '../types.ts';

export const SITEMAP_PATH = 'sitemap.xml';
export const ROBOTS_PATH = 'robots.txt';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/** `dist/sitemap.xml`: the chooser, each language's index and every published statement page with its alternates. */
export function renderSitemap(locales: Locale[], entries: PageEntry[], context: SiteContext): string | undefined {
  const base = context.site.baseUrl;
  if (!base) return undefined;
  const url = (path: string) => new URL(linkPath(path, context.site.links), base).href;
  const published = linkedLocales(locales, context);
  const pages = entries
    .filter((entry) => published.includes(entry.locale))
    .sort((a, b) => a.slug.localeCompare(b.slug) || published.indexOf(a.locale) - published.indexOf(b.locale));
  const entry = (path: string, versions: Array<{ locale: Locale; path: string }>, lastmod?: string) =>
    block('url', {}, 1, [
      x('loc', {}, url(path)),
      ...(lastmod ? [x('lastmod', {}, lastmod)] : []),
      // Every version, this one included, as search engines expect; none when there is only this one.
      ...(versions.length > 1 ? versions.map((version) => x('xhtml:link', { rel: 'alternate', hreflang: version.locale, href: url(version.path) })) : []),
    ]);
  const indexes = published.map((locale) => ({ locale, path: `${locale}/` }));
  const versionsOf = (slug: string) =>
    published.flatMap((locale) => (pages.some((page) => page.slug === slug && page.locale === locale) ? [{ locale, path: pagePath(locale, slug) }] : []));
  const urlset = block('urlset', { xmlns: SITEMAP_NS, 'xmlns:xhtml': XHTML_NS }, 0, [
    entry('', []),
    ...indexes.map((index) => entry(index.path, indexes)),
    ...pages.map((page) => entry(pagePath(page.locale, page.slug), versionsOf(page.slug), page.date)),
  ]);
  return serializeDocument(urlset, 'UTF-8');
}

/** `dist/robots.txt`: everything may be crawled; the sitemap is where the pages are. */
export function renderRobots(context: SiteContext): string | undefined {
  const base = context.site.baseUrl;
  return base ? `User-agent: *\nAllow: /\n\nSitemap: ${new URL(SITEMAP_PATH, base).href}\n` : undefined;
}
