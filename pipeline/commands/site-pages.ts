/**
 * The pages of the site around the statements: the language chooser at the
 * root, each language's index and Atom feed, the logo, the sitemap and
 * robots.txt, rendered from the site manifest so that statements the build
 * skipped are still listed.
 */
import path from 'node:path';
import { HashCache, writeIfChanged } from '../project/index.ts';
import {
  feedPath,
  indexPath,
  renderFeed,
  renderIndexPage,
  renderLanguageChooser,
  renderRobots,
  renderSitemap,
  ROBOTS_PATH,
  SITEMAP_PATH,
  type SiteContext,
  type SiteManifest,
} from '../render/index.ts';
import type { ResolvedConfig } from '../config.ts';

/** The build cache's unit for the site pages: not a slug, so never taken for a statement's. */
const SITE_UNIT = ':site';

/**
 * Write the site pages that changed; returns the key of every site page,
 * below the output folder. When the manifest and everything else they are
 * rendered from (`renderKey`) are as at the last build, they are not rendered.
 */
export async function writeSitePages(
  config: ResolvedConfig,
  manifest: SiteManifest,
  context: SiteContext,
  cache: HashCache,
  renderKey: string,
): Promise<string[]> {
  const pages = manifest.entries();
  const key = HashCache.key(renderKey, JSON.stringify(pages), JSON.stringify([config.sourceLocale, config.locales]));
  if (cache.fresh(SITE_UNIT, key)) return cache.outputs(SITE_UNIT).map((file) => path.relative(config.outDir, file));
  const site: Array<[string, string | Uint8Array | undefined]> = [
    ['index.html', renderLanguageChooser(config.sourceLocale, config.locales, context)],
    ...(context.logo ? [[context.logo.path, context.logo.data] as [string, Uint8Array]] : []),
    [SITEMAP_PATH, renderSitemap(config.locales, pages, context)],
    [ROBOTS_PATH, renderRobots(context)],
    ...config.locales.flatMap((locale): Array<[string, string | Uint8Array | undefined]> => [
      [`${indexPath(locale)}index.html`, renderIndexPage(locale, config.locales, pages, context)],
      [feedPath(locale), renderFeed(locale, pages, context)],
    ]),
  ];
  const written: string[] = [];
  for (const [page, content] of site) {
    if (content === undefined) continue;
    await writeIfChanged(path.join(config.outDir, page), content);
    written.push(page);
  }
  cache.set(
    SITE_UNIT,
    key,
    written.map((page) => path.join(config.outDir, page)),
  );
  return written;
}
