/**
 * The page shell every HTML page shares: head (language, title, description,
 * canonical and hreflang alternates, the inline stylesheet), a header with
 * the site name and the language switcher, and a footer. Built as hast, so
 * every value is escaped by the serializer.
 */
import { readFileSync } from 'node:fs';
import { h, type Child } from 'hastscript';
import type { Element, Root } from 'hast';
import type { InterfaceStrings } from './strings.ts';
import { accentRule, brandFooter, brandMark, type Brand } from './branding.ts';
import { serializeHtml } from './serialize-html.ts';
import type { Contact, Locale } from '../types.ts';
import type { LinkStyle } from '../config.ts';

const STYLE = readFileSync(new URL('./style.css', import.meta.url), 'utf8')
  .replace(/\n\s*/g, '\n')
  .trim();

/** A link to a version of a page in another language. */
export interface Alternate {
  locale: Locale;
  /** Path below the site root, `/`-separated, e.g. `fr/slug/`. */
  path: string;
}

export interface ShellOptions {
  locale: Locale;
  strings: InterfaceStrings;
  baseUrl?: string;
  /** How links name pages (`site.links`). */
  links: LinkStyle;
  /** Path of this page below the site root, e.g. `nl/slug/` or `` for the root. */
  path: string;
  title: string;
  description?: string;
  /** Every language version of this page, this one included. */
  alternates: Alternate[];
  /** The version for readers whose language has none (`x-default`). */
  xDefault: string;
  /** Atom feed of this language, path below the root. */
  feed?: string;
  /** Whether to show the site name and the language switcher. Default true. */
  header?: boolean;
  /** The organisation: logo, name, accent colour, boilerplate, profile links. */
  brand: Brand;
  /** The press contact the footer shows; left out where the page shows it already. */
  contact?: Contact;
  /** More of the head: share metadata. */
  meta?: Element[];
  /** Content of `<main>`: nodes, strings, lists of them; `undefined` is left out. */
  main: Child;
}

/**
 * How a link names the page at `path` (below the root; a folder ends in
 * `/`, the root is ``): in `file` style its `index.html`, which every host
 * and `file://` open; in `directory` style the folder itself. Files pass as they are.
 */
export const linkPath = (path: string, links: LinkStyle) => (links === 'file' && (path === '' || path.endsWith('/')) ? `${path}index.html` : path);

/** `to` relative to the folder of the page at `from` (both below the root; folders end in `/`). */
export function relativeUrl(from: string, to: string): string {
  const folders = from.split('/').slice(0, -1);
  const target = to.split('/');
  let common = 0;
  while (common < folders.length && common < target.length - 1 && folders[common] === target[common]) common++;
  return '../'.repeat(folders.length - common) + target.slice(common).join('/') || './';
}

/** The whole page as an HTML5 string. */
export function renderShell(options: ShellOptions): string {
  const { locale, strings, baseUrl } = options;
  // Every link names a page the way `site.links` says; `options.path` stays the folder the page sits in.
  const local = (path: string) => relativeUrl(options.path, linkPath(path, options.links));
  const href = (path: string) => (baseUrl ? new URL(linkPath(path, options.links), baseUrl).href : local(path));
  const others = options.alternates.filter((alternate) => alternate.locale !== locale);
  const { brand } = options;
  const logo = brand.logo ? relativeUrl(options.path, brand.logo.path) : undefined;
  const head = h('head', {}, [
    h('meta', { charSet: 'utf-8' }),
    h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
    h('title', {}, [options.title]),
    options.description ? h('meta', { name: 'description', content: options.description }) : undefined,
    baseUrl ? h('link', { rel: ['canonical'], href: href(options.path) }) : undefined,
    ...options.alternates.map((alternate) => h('link', { rel: ['alternate'], hrefLang: alternate.locale, href: href(alternate.path) })),
    h('link', { rel: ['alternate'], hrefLang: 'x-default', href: href(options.xDefault) }),
    options.feed
      ? h('link', {
          rel: ['alternate'],
          type: 'application/atom+xml',
          title: `${strings.t(locale, 'site.title')} (${strings.t(locale, 'feed.link')})`,
          href: href(options.feed),
        })
      : undefined,
    logo ? h('link', { rel: ['icon'], type: brand.logo!.contentType, href: logo }) : undefined,
    ...(options.meta ?? []),
    h('style', {}, [STYLE + accentRule(brand.site)]),
  ]);
  const header =
    options.header === false
      ? undefined
      : h('header', { className: ['site-header'] }, [
          h('a', { className: ['site-name'], href: local(`${locale}/`) }, brandMark(brand, strings, locale, logo)),
          others.length === 0
            ? undefined
            : h('nav', { className: ['languages'], ariaLabel: strings.t(locale, 'nav.languages') }, [
                h(
                  'ul',
                  {},
                  others.map((alternate) =>
                    h('li', {}, [
                      h('a', { href: local(alternate.path), hrefLang: alternate.locale, lang: alternate.locale }, [
                        strings.t(alternate.locale, 'language.name'),
                      ]),
                    ]),
                  ),
                ),
              ]),
        ]);
  const footer =
    options.header === false
      ? undefined
      : h('footer', { className: ['site-footer'] }, [
          ...brandFooter(brand, strings, locale, options.contact),
          h('p', {}, [
            h('a', { href: local(`${locale}/`) }, [strings.t(locale, 'nav.home')]),
            options.feed ? [' · ', h('a', { href: local(options.feed), type: 'application/atom+xml' }, [strings.t(locale, 'feed.link')])] : undefined,
          ]),
        ]);
  const body = h('body', {}, [
    h('a', { className: ['skip'], href: '#main' }, [strings.t(locale, 'nav.skip')]),
    header,
    h('main', { id: 'main' }, options.main),
    footer,
  ]);
  const tree: Root = { type: 'root', children: [{ type: 'doctype' }, h('html', { lang: locale }, [head, body])] };
  return `${serializeHtml(tree)}\n`;
}
