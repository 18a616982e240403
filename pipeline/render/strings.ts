/**
 * Interface strings of the site and the PDFs (language names, "Download PDF",
 * "Published on", footnote labels …) from the i18next `common` namespace,
 * `locales/<lng>/common.json`. A missing string is an error on the locale
 * file; the page still renders with the source locale's text.
 */
import path from 'node:path';
import i18next, { type i18n } from 'i18next';
import { readBundle, bundlePlace, type BundleFile } from '../bundle.ts';
import { HashCache } from '../cache.ts';
import { RESERVED_SLUG } from '../project.ts';
import { error, warning, type Diagnostics } from '../diagnostics.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale } from '../types.ts';

/** The reserved namespace: no statement may be called `common`. */
export const COMMON_NAMESPACE = RESERVED_SLUG;

/** Every key a `common.json` must have. */
export const COMMON_KEYS = [
  'language.name',
  'site.title',
  'site.description',
  'site.chooseLanguage',
  'nav.skip',
  'nav.languages',
  'nav.home',
  'statement.published',
  'statement.author',
  'statement.contact',
  'statement.email',
  'statement.phone',
  'statement.downloadPdf',
  'statement.downloadMarkdown',
  'statement.image',
  'footnotes.label',
  'footnotes.backLabel',
  'index.empty',
  'feed.link',
  'pdf.page',
] as const;

export type CommonKey = (typeof COMMON_KEYS)[number];

export interface InterfaceStrings {
  /** The string for `key` in `locale`, `{{name}}` placeholders filled in. */
  t(locale: Locale, key: CommonKey, values?: Record<string, string | number>): string;
  /** "16 september 2023": an ISO date in the locale's long format. */
  date(locale: Locale, iso: string): string;
  /** Hash of every `common.json`, for build caches. */
  readonly key: string;
}

export const commonPath = (config: Pick<ResolvedConfig, 'localesDir'>, locale: Locale) => path.join(config.localesDir, locale, `${COMMON_NAMESPACE}.json`);

/**
 * Read `common.json` of every configured locale (and the locales they fall
 * back to). Missing strings are reported once, here, with the file to edit.
 */
export async function loadInterfaceStrings(config: Pick<ResolvedConfig, 'localesDir' | 'locales' | 'fallback' | 'sourceLocale'>, diagnostics: Diagnostics): Promise<InterfaceStrings> {
  const locales = [...new Set([...config.locales, ...Object.values(config.fallback).flat(), config.sourceLocale])];
  const files = new Map<Locale, BundleFile>();
  await Promise.all(
    locales.map(async (locale) => {
      const file = await readBundle(commonPath(config, locale), diagnostics);
      if (file) files.set(locale, file);
    }),
  );
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources: {},
    fallbackLng: false,
    keySeparator: false,
    nsSeparator: false,
    returnEmptyString: false,
    initAsync: false,
    interpolation: { escapeValue: false },
    showSupportNotice: false,
  } as Parameters<i18n['init']>[0]);
  for (const [locale, file] of files) instance.addResourceBundle(locale, COMMON_NAMESPACE, file.bundle, false, true);

  const chain = (locale: Locale): Locale[] => {
    const out: Locale[] = [];
    const visit = (lng: Locale) => {
      if (out.includes(lng)) return;
      out.push(lng);
      for (const next of config.fallback[lng] ?? []) visit(next);
    };
    visit(locale);
    return out;
  };
  const has = (locale: Locale, key: string) => Boolean(files.get(locale)?.bundle[key]);
  const known = new Set<string>(COMMON_KEYS);

  for (const locale of config.locales) {
    const file = files.get(locale);
    const filePath = commonPath(config, locale);
    if (!file) continue; // unreadable: readBundle reported it
    for (const key of COMMON_KEYS) {
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
      warning(diagnostics.file(filePath), `Unknown interface string \`${key}\`${near ? `, did you mean \`${near}\`?` : ''}`, 'unknown-common-string', bundlePlace(file, key));
    }
  }

  const formats = new Map<Locale, Intl.DateTimeFormat>();
  return {
    key: HashCache.key(...locales.map((locale) => `${locale}=${files.get(locale)?.text ?? ''}`)),
    t(locale, key, values) {
      const lngs = [...chain(locale), config.sourceLocale, 'en'];
      const found = lngs.find((lng) => has(lng, key));
      if (!found) return key;
      return instance.t(key, { lng: found, ns: COMMON_NAMESPACE, ...values, skipInterpolation: !values }) as string;
    },
    date(locale, iso) {
      let format = formats.get(locale);
      if (!format) formats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' })));
      return format.format(new Date(`${iso}T00:00:00Z`));
    },
  };
}
