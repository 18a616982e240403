/**
 * The `site` section of the config: where the site is served from, the
 * organisation whose press room it is (name, logo, accent colour, default
 * press contact, profile links) and the locale each language's dates are
 * formatted in. Imported by the config (types, defaults, validation) and by
 * the render stage.
 */
import type { Contact, Locale } from '../types.ts';

/**
 * How links and printed URLs name a page. `file`: its file (`fr/slug/index.html`),
 * which opens on a plain bucket (path-style GET), a web host and `file://` alike.
 * `directory`: its folder (`fr/slug/`), for hosts that serve index documents
 * (S3 static website hosting, a web server); a plain bucket answers 404 there.
 */
export type LinkStyle = 'file' | 'directory';
export const LINK_STYLES: readonly LinkStyle[] = ['file', 'directory'];

/** What a user may write under `site`. */
export interface UserSite {
  /**
   * Absolute URL the site is served from, e.g. `https://press.example.com/`.
   * Needed for canonical URLs, absolute `hreflang` alternates, share
   * metadata, the sitemap, links in PDFs and the Atom feed. Default none.
   */
  baseUrl?: string;
  /** Write `dist/<lng>/feed.xml`. Default true when `baseUrl` is set. */
  feed?: boolean;
  /** How links and printed URLs name a page; see `LinkStyle`. Default `file`. */
  links?: LinkStyle;
  /** The organisation, e.g. `Lydis`: in every header, the PDFs' letterhead and metadata, the share metadata. Default none. */
  name?: string;
  /** Its logo, an SVG or PNG file in the statements folder or `assetsDir`, checked like a statement's images. Default none. */
  logo?: string;
  /** Colour of links and accents, `#rrggbb`; must reach WCAG AA contrast (4.5:1) on the page backgrounds. Default `#0b4f9c`. */
  accentColor?: string;
  /** Press contact of statements whose front matter names none. */
  contact?: Contact;
  /** Profile links shown in every footer, e.g. `{"LinkedIn": "https://www.linkedin.com/company/example"}`. */
  social?: Record<string, string>;
  /** Locale each language's dates and numbers are formatted in, e.g. `{"nl": "nl-BE"}`. Default the language itself, `en` as `en-GB`. */
  formatLocales?: Record<Locale, string>;
}

/** The same, every default filled in (the logo's path absolute). */
export interface ResolvedSite {
  baseUrl?: string;
  feed: boolean;
  links: LinkStyle;
  name?: string;
  logo?: string;
  accentColor: string;
  contact?: Contact;
  social: Record<string, string>;
  formatLocales: Record<Locale, string>;
}

export const DEFAULT_ACCENT = '#0b4f9c';

/** The backgrounds text in the accent colour sits on: the page and the download box. */
const BACKGROUNDS = { white: '#ffffff', 'light grey': '#f4f5f7' } as const;

/** WCAG 2.x AA for normal-size text. */
export const MIN_CONTRAST = 4.5;

export function resolveSite(user: UserSite = {}, resolvePath: (file: string) => string): ResolvedSite {
  return {
    baseUrl: user.baseUrl?.replace(/\/?$/, '/'),
    feed: user.feed ?? Boolean(user.baseUrl),
    links: user.links ?? 'file',
    name: user.name,
    logo: user.logo === undefined ? undefined : resolvePath(user.logo),
    accentColor: expand(user.accentColor ?? DEFAULT_ACCENT),
    contact: user.contact,
    social: user.social ?? {},
    formatLocales: user.formatLocales ?? {},
  };
}

/** The locale `locale`'s dates and numbers are formatted in: configured, else itself (`en` in the British form). */
export function formatLocale(site: Pick<ResolvedSite, 'formatLocales'>, locale: Locale): string {
  return site.formatLocales[locale] ?? (locale === 'en' ? 'en-GB' : locale);
}

const channel = (hex: string) => {
  const value = parseInt(hex, 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
};

/** Relative luminance of `#rrggbb` (WCAG 2.x). */
function luminance(color: string): number {
  const [r, g, b] = [1, 3, 5].map((start) => channel(color.slice(start, start + 2)));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** Contrast ratio of two `#rrggbb` colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light! + 0.05) / (dark! + 0.05);
}

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const expand = (color: string) => (color.length === 4 ? `#${[...color.slice(1)].map((digit) => digit + digit).join('')}` : color).toLowerCase();

/** Validate `site`; `fail` reports at the key path it is given. */
export function validateSite(value: unknown, fail: (reason: string, at?: string) => void, isLocale: (value: unknown) => boolean): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('Unexpected `site`, expected an object such as `{"baseUrl": "https://press.example.com/"}`', 'site');
  const site = value as Record<string, unknown>;
  const isObject = (setting: unknown): setting is Record<string, unknown> => typeof setting === 'object' && setting !== null && !Array.isArray(setting);
  const isUrl = (setting: unknown) => typeof setting === 'string' && /^https?:\/\/[^/\s]+\S*$/.test(setting);
  if (site.baseUrl !== undefined && !isUrl(site.baseUrl))
    fail('Unexpected `site.baseUrl`, expected an absolute URL such as `https://press.example.com/`', 'site.baseUrl');
  if (site.feed !== undefined && typeof site.feed !== 'boolean') fail('Unexpected `site.feed`, expected `true` or `false`', 'site.feed');
  if (site.links !== undefined && !LINK_STYLES.includes(site.links as LinkStyle))
    fail('Unexpected `site.links`, expected `"file"` or `"directory"`', 'site.links');
  if (site.name !== undefined && !(typeof site.name === 'string' && site.name.trim()))
    fail('Unexpected `site.name`, expected the organisation’s name such as `"Lydis"`', 'site.name');
  if (site.logo !== undefined && !(typeof site.logo === 'string' && /\.(svg|png)$/i.test(site.logo)))
    fail('Unexpected `site.logo`, expected the path of an SVG or PNG file such as `"assets/logo.svg"`', 'site.logo');
  if (site.accentColor !== undefined) {
    if (typeof site.accentColor !== 'string' || !COLOR.test(site.accentColor))
      fail('Unexpected `site.accentColor`, expected a colour such as `"#0b4f9c"`', 'site.accentColor');
    else {
      const color = expand(site.accentColor);
      const [background, ratio] = Object.entries(BACKGROUNDS)
        .map(([name, hex]) => [name, contrastRatio(color, hex)] as const)
        .sort((a, b) => a[1] - b[1])[0]!;
      if (ratio < MIN_CONTRAST)
        fail(
          `Unexpected \`site.accentColor\` \`${site.accentColor}\` with a contrast of ${(Math.floor(ratio * 100) / 100).toFixed(2)}:1 on the ${background} background, expected at least ${MIN_CONTRAST}:1 (WCAG AA): choose a darker colour`,
          'site.accentColor',
        );
    }
  }
  if (site.contact !== undefined) {
    const contact = site.contact;
    if (
      !isObject(contact) ||
      Object.entries(contact).some(([field, setting]) => !['name', 'role', 'email', 'phone'].includes(field) || typeof setting !== 'string')
    )
      fail('Unexpected `site.contact`, expected an object of texts such as `{"name": "…", "email": "…", "phone": "…"}`', 'site.contact');
    else if (contact.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(contact.email as string))
      fail(`Unexpected \`site.contact.email\` \`${contact.email}\`, expected an email address`, 'site.contact.email');
  }
  if (site.social !== undefined && !(isObject(site.social) && Object.values(site.social).every(isUrl)))
    fail('Unexpected `site.social`, expected names and absolute URLs such as `{"LinkedIn": "https://www.linkedin.com/company/example"}`', 'site.social');
  if (site.formatLocales !== undefined) {
    const formats = site.formatLocales;
    if (!isObject(formats)) fail('Unexpected `site.formatLocales`, expected an object such as `{"nl": "nl-BE", "en": "en-GB"}`', 'site.formatLocales');
    else
      for (const [locale, format] of Object.entries(formats)) {
        if (!isLocale(locale) || typeof format !== 'string' || !isSupported(format))
          fail(
            `Unexpected \`site.formatLocales.${locale}\`, expected a language's locale and a locale the formatter knows such as \`"nl": "nl-BE"\``,
            `site.formatLocales.${locale}`,
          );
      }
  }
}

function isSupported(format: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf(format).length > 0;
  } catch {
    return false;
  }
}
