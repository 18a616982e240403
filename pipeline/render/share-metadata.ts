/**
 * What a statement page says about itself when it is shared or indexed:
 * Open Graph and Twitter card tags and a schema.org `NewsArticle` in JSON-LD
 * (the organisation as author and publisher, the language versions as
 * translations of the source). Fields that must be absolute URLs are left
 * out without `site.baseUrl`.
 */
import { h } from 'hastscript';
import type { Element } from 'hast';
import type { InterfaceStrings } from './strings.ts';
import { organisation, type Brand } from './branding.ts';
import { linkPath } from './template.ts';
import { formatLocale, type ResolvedSite } from './settings.ts';
import type { Locale } from '../types.ts';

/** `nl` → `nl_BE` (the formatting locale with its likely region, as Open Graph writes it). */
export function ogLocale(site: Pick<ResolvedSite, 'formatLocales'>, locale: Locale): string {
  const tag = formatLocale(site, locale);
  let found = ogLocales.get(tag);
  if (found === undefined) ogLocales.set(tag, (found = maximized(tag, locale)));
  return found;
}

// Maximizing a locale costs more than the rest of a page's metadata: once per tag.
const ogLocales = new Map<string, string>();

function maximized(tag: string, locale: Locale): string {
  try {
    const full = new Intl.Locale(tag).maximize();
    return full.region ? `${full.language}_${full.region}` : full.language;
  } catch {
    return locale.replace('-', '_');
  }
}

export interface ShareInput {
  brand: Brand;
  strings: InterfaceStrings;
  locale: Locale;
  /** The language the statement was written in. */
  sourceLocale: Locale;
  title: string;
  description?: string;
  /** ISO dates. */
  published: string;
  modified: string;
  author?: string;
  /** Path of this page below the site root; `versions` every published version's (this one included). */
  path: string;
  versions: Array<{ locale: Locale; path: string }>;
  /** The statement's first image, its path below the site root, and its text alternative. */
  image?: { path: string; alt: string };
}

/** Escaped for a `<script>` element: no `</script>` or `<!--` can close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** `<meta>` tags and the JSON-LD script for the head of a statement page. */
export function shareMetadata(input: ShareInput): Element[] {
  const { brand, strings, locale } = input;
  const base = brand.site.baseUrl;
  // Pages named the way every link names them (`site.links`).
  const url = (path: string) => (base ? new URL(linkPath(path, brand.site.links), base).href : undefined);
  const org = organisation(brand, strings, locale);
  const image = input.image ? { url: url(input.image.path), alt: input.image.alt } : brand.logo ? { url: url(brand.logo.path), alt: org } : undefined;
  const others = input.versions.filter((version) => version.locale !== locale);
  const property = (name: string, content: string | undefined) => (content ? [h('meta', { property: name, content })] : []);
  const named = (name: string, content: string | undefined) => (content ? [h('meta', { name, content })] : []);

  const logo = brand.logo && url(brand.logo.path);
  const publisher = { '@type': 'Organization', name: org, ...(logo ? { logo: { '@type': 'ImageObject', url: logo } } : {}) };
  const version = (other: { locale: Locale; path: string }) => ({
    '@type': 'NewsArticle',
    inLanguage: other.locale,
    ...(url(other.path) ? { '@id': url(other.path) } : {}),
  });
  const source = input.versions.find((other) => other.locale === input.sourceLocale);
  const article = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    ...(url(input.path) ? { '@id': url(input.path), url: url(input.path), mainEntityOfPage: url(input.path) } : {}),
    headline: input.title,
    ...(input.description ? { description: input.description } : {}),
    inLanguage: locale,
    datePublished: input.published,
    dateModified: input.modified,
    ...(image?.url ? { image: [image.url] } : {}),
    author: input.author && input.author !== org ? { '@type': 'Person', name: input.author } : publisher,
    publisher,
    ...(locale === input.sourceLocale
      ? others.length > 0
        ? { workTranslation: others.map(version) }
        : {}
      : source
        ? { translationOfWork: version(source) }
        : {}),
  };
  return [
    ...property('og:type', 'article'),
    ...property('og:site_name', org),
    ...property('og:title', input.title),
    ...property('og:description', input.description),
    ...property('og:url', url(input.path)),
    ...property('og:locale', ogLocale(brand.site, locale)),
    ...others.flatMap((other) => property('og:locale:alternate', ogLocale(brand.site, other.locale))),
    ...property('og:image', image?.url),
    ...(image?.url ? property('og:image:alt', image.alt) : []),
    ...property('article:published_time', input.published),
    ...property('article:modified_time', input.modified),
    ...named('twitter:card', input.image && image?.url ? 'summary_large_image' : 'summary'),
    ...named('twitter:title', input.title),
    ...named('twitter:description', input.description),
    ...named('twitter:image', image?.url),
    ...(image?.url ? named('twitter:image:alt', image.alt) : []),
    h('script', { type: 'application/ld+json' }, [scriptJson(article)]),
  ];
}
