/**
 * The pages of the site around the statements: the language chooser at the
 * root, each language's index and Atom feed, the logo, the sitemap and
 * robots.txt, rendered from the site manifest so that statements the build
 * skipped are still listed.
 */
import path from 'node:path';
import { writeIfChanged } from '../project/index.ts';
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

/** Write the site pages that changed; returns the key of every site page, below the output folder. */
export async function writeSitePages(config: ResolvedConfig, manifest: SiteManifest, context: SiteContext): Promise<string[]> {
  const pages = manifest.entries();
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
  for (const [key, content] of site) {
    if (content === undefined) continue;
    await writeIfChanged(path.join(config.outDir, key), content);
    written.push(key);
  }
  return written;
}
