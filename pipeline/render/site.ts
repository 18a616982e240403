/**
 * The pages that list statements: the language chooser `dist/index.html`,
 * each language's index `dist/<lng>/index.html` (newest first, with date and
 * summary) and its Atom feed `dist/<lng>/feed.xml`. Pure functions of the
 * site manifest, so statements skipped by the cache are listed too.
 */
import { h } from 'hastscript';
import { x } from 'xastscript';
import { linkPath, relativeUrl, renderShell } from './template.ts';
import { aboutSection, organisation, pressContact, profileLinks } from './branding.ts';
import { block, serializeDocument, textNodes } from '../project/index.ts';
import { feedOf, feedPath, linkedLocales, markdownName, pagePath, pdfName, type SiteContext } from './html.ts';
import type { Locale, VersionDates } from '../types.ts';

/** What an index needs of one statement × locale. */
export interface PageEntry {
  slug: string;
  locale: Locale;
  title: string;
  /** ISO date `YYYY-MM-DD`. */
  date: string;
  summary?: string;
  author?: string;
  /** When this version was first published and last changed (see dates.ts). */
  dates?: VersionDates;
}

export const indexPath = (locale: Locale) => `${locale}/`;

/** Newest first; the same day by title, so the order never depends on the file system. */
export function sortEntries(entries: PageEntry[]): PageEntry[] {
  return [...entries].sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title, a.locale) || a.slug.localeCompare(b.slug));
}

/** `dist/<lng>/index.html`: that language's statements, newest first. */
export function renderIndexPage(locale: Locale, locales: Locale[], entries: PageEntry[], context: SiteContext): string {
  const { strings } = context;
  const path = indexPath(locale);
  const list = sortEntries(entries.filter((entry) => entry.locale === locale));
  return renderShell({
    locale,
    strings,
    baseUrl: context.site.baseUrl,
    links: context.site.links,
    path,
    title: strings.t(locale, 'site.title'),
    description: strings.t(locale, 'site.description'),
    alternates: linkedLocales(locales, context, locale).map((lng) => ({ locale: lng, path: indexPath(lng) })),
    xDefault: '',
    feed: feedOf(locale, context),
    brand: context,
    contact: context.site.contact,
    main: [
      h('h1', {}, [strings.t(locale, 'site.title')]),
      list.length === 0
        ? h('p', {}, [strings.t(locale, 'index.empty')])
        : h(
            'ul',
            { className: ['statements'] },
            list.map((entry) =>
              h('li', {}, [
                h('h2', {}, [h('a', { href: relativeUrl(path, linkPath(pagePath(locale, entry.slug), context.site.links)) }, [entry.title])]),
                h('p', { className: ['meta'] }, [h('time', { dateTime: entry.date }, [strings.date(locale, entry.date)])]),
                entry.summary ? h('p', {}, [entry.summary]) : undefined,
              ]),
            ),
          ),
    ],
  });
}

/**
 * `dist/index.html`: the language chooser, published languages only, each
 * in its own language: the organisation, "Choose your language" in every
 * language, a link to each language's index, and the boilerplate in each.
 */
export function renderLanguageChooser(sourceLocale: Locale, all: Locale[], context: SiteContext): string {
  const { strings } = context;
  const locales = linkedLocales(all, context);
  const unique = (texts: string[]) => texts.filter((text, index) => texts.indexOf(text) === index);
  const logo = context.logo && h('img', { className: ['logo'], src: context.logo.path, alt: '', height: 48 });
  return renderShell({
    locale: sourceLocale,
    strings,
    baseUrl: context.site.baseUrl,
    links: context.site.links,
    path: '',
    title: unique(locales.map((locale) => organisation(context, strings, locale))).join(' · '),
    description: strings.t(sourceLocale, 'site.description'),
    alternates: locales.map((locale) => ({ locale, path: indexPath(locale) })),
    xDefault: '',
    header: false,
    brand: context,
    main: [
      h('h1', { className: ['chooser-title'] }, [logo, unique(locales.map((locale) => organisation(context, strings, locale))).join(' · ')]),
      h(
        'p',
        { className: ['choose-prompt'] },
        locales.flatMap((locale, index) => [index > 0 ? ' · ' : '', h('span', { lang: locale }, [strings.t(locale, 'site.chooseLanguage')])]),
      ),
      h(
        'ul',
        { className: ['choose'] },
        locales.map((locale) =>
          h('li', { lang: locale }, [
            h('a', { href: linkPath(indexPath(locale), context.site.links), hrefLang: locale }, [
              strings.t(locale, 'language.name'),
              h('span', {}, [strings.t(locale, 'site.title')]),
            ]),
          ]),
        ),
      ),
      h('div', { className: ['chooser-footer'] }, [
        ...locales.map((locale) => aboutSection(context, strings, locale, locale)),
        pressContact(context.site.contact, strings, sourceLocale),
        profileLinks(context),
      ]),
    ],
  });
}

/** `dist/<lng>/feed.xml`: an Atom feed of that language's statements, for newsrooms. Needs `site.baseUrl`. */
export function renderFeed(locale: Locale, entries: PageEntry[], context: SiteContext): string | undefined {
  const base = context.site.baseUrl;
  if (!base || !context.site.feed) return undefined;
  const { strings } = context;
  const url = (path: string) => new URL(linkPath(path, context.site.links), base).href;
  // Entry ids name, never link: they stay the folder URL whatever the link style, so feed readers never see an entry twice.
  const id = (path: string) => new URL(path, base).href;
  const list = sortEntries(entries.filter((entry) => entry.locale === locale));
  // An entry is updated when its version last changed (a correction), else on its date; the feed when its latest entry was.
  const changed = (entry: PageEntry) => entry.dates?.updated ?? entry.date;
  const updated = `${list.map(changed).sort().at(-1) ?? '1970-01-01'}T00:00:00Z`;
  const link = (rel: string, type: string, href: string) => x('link', { rel, type, href });
  const entry = (entry: PageEntry) => {
    const page = pagePath(locale, entry.slug);
    return block('entry', {}, 1, [
      x('title', {}, textNodes(entry.title)),
      x('id', {}, id(page)),
      link('alternate', 'text/html', url(page)),
      link('enclosure', 'application/pdf', url(page + pdfName(locale, entry.slug))),
      link('related', 'text/markdown', url(page + markdownName(locale, entry.slug))),
      x('published', {}, `${entry.date}T00:00:00Z`),
      x('updated', {}, `${changed(entry)}T00:00:00Z`),
      x('author', {}, x('name', {}, textNodes(entry.author ?? strings.t(locale, 'site.title')))),
      ...(entry.summary ? [x('summary', {}, textNodes(entry.summary))] : []),
    ]);
  };
  const feed = block('feed', { xmlns: 'http://www.w3.org/2005/Atom', 'xml:lang': locale }, 0, [
    x('title', {}, textNodes(strings.t(locale, 'site.title'))),
    x('subtitle', {}, textNodes(strings.t(locale, 'site.description'))),
    x('id', {}, id(indexPath(locale))),
    link('alternate', 'text/html', url(indexPath(locale))),
    link('self', 'application/atom+xml', url(feedPath(locale))),
    x('updated', {}, updated),
    ...list.map(entry),
  ]);
  return serializeDocument(feed, 'utf-8');
}
