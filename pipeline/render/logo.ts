/**
 * The organisation's logo (`site.logo`), read once per build through the
 * same checks as a statement's images (inside the image folders, content
 * confirmed, SVG rebuilt from the allowlist) and published once at the site
 * root, for every header, favicon, share card and PDF letterhead.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { error, warning, type Diagnostics } from '../diagnostics.ts';
import { locateJson } from '../json.ts';
import { CONFIG_FILE } from '../paths.ts';
import { IMAGE_CONTENT_TYPES, readImage, type ImageSettings } from './assets.ts';
import type { ResolvedSite } from './settings.ts';
import type { LogoAsset } from './branding.ts';

/** Where `site.logo` is written in the config file, for messages. */
function logoPlace(root: string) {
  try {
    return locateJson(readFileSync(path.join(root, CONFIG_FILE), 'utf8'), true).nested.get('site.logo');
  } catch {
    return undefined;
  }
}

/** Read `site.logo`; a logo that cannot be published is an error on the config file, and the site goes without it. */
export async function loadLogo(site: Pick<ResolvedSite, 'logo'>, settings: ImageSettings, diagnostics: Diagnostics): Promise<LogoAsset | undefined> {
  if (!site.logo) return undefined;
  const written = path.relative(settings.root, site.logo);
  const read = await readImage(site.logo, written, written, written, settings);
  const file = () => diagnostics.file(path.join(settings.root, CONFIG_FILE));
  if ('reason' in read) {
    error(file(), `${read.reason} (\`site.logo\`)`, read.ruleId, logoPlace(settings.root));
    return undefined;
  }
  if (read.type !== 'svg' && read.type !== 'png') {
    error(file(), `Unexpected ${read.type} logo \`${written}\`, expected an SVG or PNG file (\`site.logo\`)`, 'image-type', logoPlace(settings.root));
    return undefined;
  }
  if (read.removed) warning(file(), read.removed, 'svg-sanitized', logoPlace(settings.root));
  return { path: `logo.${read.type}`, type: read.type, contentType: IMAGE_CONTENT_TYPES[read.type], data: read.data };
}
