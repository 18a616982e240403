/** The render stage as the later stages see it: everything they may use, and nothing else. */
export { imageFiles, loadAssets, readImageFile } from './assets.ts';
export { RENDER_VERSION, pageEntry, renderDocument } from './document.ts';
export { utcDay, versionDates, type DatesInput } from './dates.ts';
export { linkPath } from './template.ts';
export { feedPath, pagePath, type SiteContext } from './html.ts';
export { SiteManifest, type StatementRecord } from './manifest.ts';
export { indexPath, renderFeed, renderIndexPage, renderLanguageChooser } from './site.ts';
export { loadInterfaceStrings } from './strings.ts';
export { loadLogo } from './logo.ts';
export { renderRobots, renderSitemap, ROBOTS_PATH, SITEMAP_PATH } from './sitemap.ts';
export type { LogoAsset } from './branding.ts';
