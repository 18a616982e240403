/**
 * Interface strings of the site and the PDFs (language names, "Download PDF",
 * "Published on", footnote labels …) from the i18next `common` namespace,
 * `locales/<lng>/common.json`. Once a project has one `common.json`, every
 * locale needs one with every string: a missing string is an error on the
 * locale file, and the page renders with the source locale's text.
 */
import path from 'node:path';
import { type BundleFile, bundlePlace, COMMON_NAMESPACE, commonPath, HashCache, readBundle } from '../project/index.ts';
import { TranslationResolver } from '../reassemble/index.ts';
import { error, warning, type Diagnostics } from '../diagnostics.ts';
import type { ResolvedConfig } from '../config.ts';
import { formatLocale } from './settings.ts';
import type { Locale } from '../types.ts';

/** The reserved namespace: no statement may be called `common`. */

/**
 * Every key a `common.json` must have, with the English text used when a
 * project has no `common.json` at all (a new project still builds a site).
 */
export const COMMON_DEFAULTS = {
  'language.name': 'English',
  'site.title': 'Press statements',
  'site.description': 'Press statements in English, with PDF versions.',
  'site.chooseLanguage': 'Choose your language',
  'nav.skip': 'Skip to content',
  'nav.languages': 'This page in other languages',
  'nav.home': 'All press statements',
  'statement.published': 'Published on {{date}}',
  'statement.updated': 'Updated on {{date}}',
  'statement.author': 'From {{author}}',
  'statement.contact': 'Press contact',
  'statement.email': 'Email',
  'statement.phone': 'Phone',
  'statement.downloadPdf': 'Download PDF',
  'statement.downloadMarkdown': 'Text version (Markdown)',
  'statement.image': 'Image',
  'statement.partial': 'Parts of this statement are not translated yet and are shown in the original language ({{language}}).',
  'footnotes.label': 'Notes',
  'footnotes.backLabel': 'Back to reference {{reference}}',
  'index.empty': 'No press statements yet.',
  'feed.link': 'Atom feed',
  'pdf.page': 'Page {{page}} of {{pages}}',
} as const;

/**
 * The organisation's boilerplate, "About <organisation>" and its text: a
 * project has it or not, and once the source locale's `common.json` has
 * `about.text`, every locale needs both, so translators see them.
 */
export const ABOUT_DEFAULTS = {
  'about.heading': 'About {{organisation}}',
  'about.text': '',
} as const;

export const COMMON_KEYS = Object.keys(COMMON_DEFAULTS) as RequiredCommonKey[];

type RequiredCommonKey = keyof typeof COMMON_DEFAULTS;
export type CommonKey = RequiredCommonKey | keyof typeof ABOUT_DEFAULTS;

export interface InterfaceStrings {
  /** The string for `key` in `locale`, `{{name}}` placeholders filled in. */
  t(locale: Locale, key: CommonKey, values?: Record<string, string | number>): string;
  /** "16 september 2023": an ISO date in the long format of the locale's formatting locale (`site.formatLocales`). */
  date(locale: Locale, iso: string): string;
  /** The boilerplate "About <organisation>" in `locale`, when the project has one. */
  about(locale: Locale, organisation: string): { heading: string; text: string } | undefined;
  /** Hash of every `common.json`, for build caches. */
  readonly key: string;
}

/**
 * Read `common.json` of every configured locale (and the locales they fall
 * back to). Missing strings are reported once, here, with the file to edit.
 */
export async function loadInterfaceStrings(
  config: Pick<ResolvedConfig, 'localesDir' | 'locales' | 'fallback' | 'sourceLocale' | 'limits' | 'site'>,
  diagnostics: Diagnostics,
): Promise<InterfaceStrings> {
  const locales = [...new Set([...config.locales, ...Object.values(config.fallback).flat(), config.sourceLocale])];
  const files = new Map<Locale, BundleFile>();
  await Promise.all(
    locales.map(async (locale) => {
      const file = await readBundle(commonPath(config, locale), diagnostics, config.limits);
      if (file) files.set(locale, file);
    }),
  );
  const resolver = new TranslationResolver(config);
  for (const [locale, file] of files) resolver.add(locale, COMMON_NAMESPACE, file.bundle);

  // The configured fallbacks (nl-BE → nl), without the statement source at the end.
  const chain = (locale: Locale): readonly Locale[] => resolver.chain(locale, locale);
  const has = (locale: Locale, key: string) => Boolean(files.get(locale)?.bundle[key]);
  const known = new Set<string>([...COMMON_KEYS, ...Object.keys(ABOUT_DEFAULTS)]);
  const required = has(config.sourceLocale, 'about.text') ? [...COMMON_KEYS, ...(Object.keys(ABOUT_DEFAULTS) as CommonKey[])] : COMMON_KEYS;

  const localized = [...files.values()].some((file) => file.text !== undefined);
  for (const locale of localized ? config.locales : []) {
    const file = files.get(locale);
    const filePath = commonPath(config, locale);
    if (!file) continue; // unreadable: readBundle reported it
    if (file.text === undefined) {
      error(
        diagnostics.file(filePath),
        `Missing \`${path.relative(path.dirname(config.localesDir), filePath)}\`: the interface strings of \`${locale}\`, expected the keys of \`${path.relative(path.dirname(config.localesDir), commonPath(config, config.sourceLocale))}\``,
        'missing-common-file',
      );
      continue;
    }
    for (const key of required) {
      if (chain(locale).some((lng) => has(lng, key))) continue;
      const example = files.get(config.sourceLocale)?.bundle[key];
      error(
        diagnostics.file(filePath),
        `Missing interface string \`${key}\` in \`${path.relative(path.dirname(config.localesDir), filePath)}\`${example ? `, expected a translation of \`${example}\`` : ''}`,
        'missing-common-string',
        { line: 1, column: 1 },
      );
    }
    for (const key of Object.keys(file.bundle).filter((name) => !known.has(name))) {
      const near = COMMON_KEYS.find((name) => name.toLowerCase() === key.toLowerCase() || name.split('.')[1] === key.split('.')[1]);
      warning(
        diagnostics.file(filePath),
        `Unknown interface string \`${key}\`${near ? `, did you mean \`${near}\`?` : ''}`,
        'unknown-common-string',
        bundlePlace(file, key),
      );
    }
  }

  const formats = new Map<Locale, Intl.DateTimeFormat>();
  const longDate = (locale: Locale, iso: string) => {
    let format = formats.get(locale);
    if (!format) formats.set(locale, (format = new Intl.DateTimeFormat(formatLocale(config.site, locale), { dateStyle: 'long', timeZone: 'UTC' })));
    return format.format(new Date(`${iso}T00:00:00Z`));
  };
  // A site has few dates, each on many pages and PDFs (dates of publication, updates, the indexes): each is formatted once per locale.
  const dates = new Map<string, string>();
  // Every page asks for the same few strings: each is looked up once per locale and key.
  const plain = new Map<string, string>();
  const lookup: InterfaceStrings['t'] = (locale, key, values) => {
    const lngs = [...chain(locale), config.sourceLocale, 'en'];
    const found = lngs.find((lng) => has(lng, key));
    if (!found) return interpolate(DEFAULTS[key], values);
    return resolver.format(COMMON_NAMESPACE, key, found, values);
  };
  const t: InterfaceStrings['t'] = (locale, key, values) => {
    if (values) return lookup(locale, key, values);
    const id = `${locale}\u0000${key}`;
    let text = plain.get(id);
    if (text === undefined) plain.set(id, (text = lookup(locale, key)));
    return text;
  };
  return {
    key: HashCache.key(JSON.stringify(config.site.formatLocales), ...locales.map((locale) => `${locale}=${files.get(locale)?.text ?? ''}`)),
    t,
    date(locale, iso) {
      const id = `${locale}\u0000${iso}`;
      let text = dates.get(id);
      if (text === undefined) dates.set(id, (text = longDate(locale, iso)));
      return text;
    },
    about(locale, organisation) {
      const text = t(locale, 'about.text');
      return text ? { heading: t(locale, 'about.heading', { organisation }), text } : undefined;
    },
  };
}

const DEFAULTS = { ...COMMON_DEFAULTS, ...ABOUT_DEFAULTS };

function interpolate(text: string, values?: Record<string, string | number>): string {
  return values ? text.replace(/\{\{\s*(\w+)\s*\}\}/g, (match, name: string) => (name in values ? String(values[name]) : match)) : text;
}
