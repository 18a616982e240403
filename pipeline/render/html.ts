/**
 * Stage 5a: render a localized statement to its web page. The reassembled
 * mdast goes through remark-rehype (footnote labels from the locale),
 * rehype-sanitize (a schema that keeps footnote links working) and into the
 * page shell. Never parses Markdown again.
 */
import { unified, type Processor } from 'unified';
import remarkRehype from 'remark-rehype';
import rehypeSanitize, { defaultSchema, type Options as Schema } from 'rehype-sanitize';
import type { Root as HastRoot, Element, ElementContent } from 'hast';
import type { Image, Nodes, Root } from 'mdast';
import { h } from 'hastscript';
import { renderShell } from './template.ts';
import { eachNode } from './each-node.ts';
import { contactLines, sameContact } from './branding.ts';
import { shareMetadata } from './share-metadata.ts';
import { contactBeyondSignature } from './signature.ts';
import type { LogoAsset } from './branding.ts';
import type { InterfaceStrings } from './strings.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Contact, LocalizedDocument, Locale, SegmentKind, VersionDates } from '../types.ts';

/**
 * GitHub's schema, but ids are not prefixed a second time (remark-rehype
 * already prefixes footnote ids, and heading ids must stay as in the source
 * so that `#what-happened` works in every language), and `tel:` links pass.
 */
export const schema: Schema = {
  ...defaultSchema,
  clobber: [],
  clobberPrefix: '',
  attributes: { ...defaultSchema.attributes, h2: [...(defaultSchema.attributes?.h2 ?? []), 'id'] },
  protocols: { ...defaultSchema.protocols, href: ['http', 'https', 'mailto', 'tel'] },
};

/** Obsolete `align` attributes of table cells become classes (valid HTML5, styled by the sheet). */
function tableAlign() {
  return (tree: HastRoot) => {
    eachNode(tree, (node) => {
      if (node.type !== 'element') return;
      const { tagName, properties } = node as Element;
      const align = properties.align;
      if ((tagName === 'td' || tagName === 'th') && typeof align === 'string') {
        delete properties.align;
        if (align !== 'left') properties.className = [`align-${align}`];
      }
    });
  };
}

export interface SiteContext {
  strings: InterfaceStrings;
  site: ResolvedConfig['site'];
  /** `site.logo`, read and checked once per build. */
  logo?: LogoAsset;
  /**
   * The locales readers are sent to (see `isPublished`); pages never link to
   * the others (the pseudo-locale), which are built for previewing only.
   * Default every locale.
   */
  published?: Locale[];
}

/**
 * The versions a page in `locale` links to (hreflang alternates, the
 * language switcher): the published `locales`, and the page's own locale,
 * so that a preview still finds its way to the published versions.
 */
export function linkedLocales(locales: Locale[], context: SiteContext, locale?: Locale): Locale[] {
  const { published } = context;
  return published ? locales.filter((lng) => lng === locale || published.includes(lng)) : locales;
}

/** A block that fell back to the source (`data.lang`, set by reassembly) says its language, so it is read with the right voice. */
function fallbackLanguage() {
  return (tree: Root) => {
    eachNode(tree, (child) => {
      const node = child as Nodes;
      const lang = node.data?.lang;
      if (lang) node.data = { ...node.data, hProperties: { ...node.data?.hProperties, lang } };
    });
  };
}

const processors = new WeakMap<InterfaceStrings, Map<Locale, Processor<undefined, Root, HastRoot>>>();

function processorFor(strings: InterfaceStrings, locale: Locale) {
  let byLocale = processors.get(strings);
  if (!byLocale) processors.set(strings, (byLocale = new Map()));
  let processor = byLocale.get(locale);
  if (!processor) {
    processor = unified()
      .use(fallbackLanguage)
      .use(remarkRehype, {
        footnoteLabel: strings.t(locale, 'footnotes.label'),
        footnoteLabelProperties: {},
        footnoteBackLabel: (reference: number, rereference: number) =>
          strings.t(locale, 'footnotes.backLabel', { reference: rereference > 1 ? `${reference + 1}-${rereference}` : reference + 1 }),
        handlers: { yaml: () => undefined },
      })
      .use(rehypeSanitize, schema)
      .use(tableAlign) as unknown as Processor<undefined, Root, HastRoot>;
    byLocale.set(locale, processor);
  }
  return processor;
}

/** The sanitized body of a localized (and `localizeTree`d) document as hast. */
export function bodyToHast(tree: Root, locale: Locale, strings: InterfaceStrings): ElementContent[] {
  const processor = processorFor(strings, locale);
  return (processor.runSync(tree) as HastRoot).children as ElementContent[];
}

/** "Parts of this statement are not translated yet …", in the reader's language, the source language's name in its own. */
function partialNotice(locale: Locale, source: Locale, strings: InterfaceStrings): Element {
  const [before, after] = strings.t(locale, 'statement.partial', { language: '\u0000' }).split('\u0000');
  return h('p', { className: ['partial'], role: 'note' }, [before, h('span', { lang: source }, [strings.t(source, 'language.name')]), after]);
}

/** The first image of a localized tree (its URL the copy beside the page). */
function firstImage(tree: Root): Image | undefined {
  let found: Image | undefined;
  eachNode(tree, (node) => {
    if (node.type === 'image') found ??= node as Image;
  });
  return found;
}

/** Each language's Atom feed below the output folder, and whether the site has one (it needs `site.baseUrl`). */
export const feedPath = (locale: Locale) => `${locale}/feed.xml`;
export const feedOf = (locale: Locale, context: SiteContext) => (context.site.feed && context.site.baseUrl ? feedPath(locale) : undefined);

/** Where a statement's files live below the output folder. */
export const pagePath = (locale: Locale, slug: string) => `${locale}/${slug}/`;
export const pdfName = (locale: Locale, slug: string) => `${slug}-${locale}.pdf`;
export const markdownName = (locale: Locale, slug: string) => `${slug}-${locale}.md`;

/** The contact block; `roleLang` is the language of the role when it fell back to the source. */
export function contactBlock(contact: Contact | undefined, locale: Locale, strings: InterfaceStrings, roleLang?: Locale): Element | undefined {
  if (!contact || !Object.values(contact).some(Boolean)) return undefined;
  return h('section', { className: ['contact'], ariaLabelledBy: ['statement-contact'] }, [
    h('h2', { id: 'statement-contact' }, [strings.t(locale, 'statement.contact')]),
    h('p', {}, contactLines(contact, locale, strings, roleLang)),
  ]);
}

/**
 * The statement page `dist/<lng>/<slug>/index.html`. `locales` are the
 * languages the statement is published in, for the switcher and alternates.
 */
export function renderStatementPage(document: LocalizedDocument, locales: Locale[], context: SiteContext, dates?: VersionDates): string {
  const { statement, locale, frontMatter } = document;
  const { strings } = context;
  const slug = statement.slug;
  const linked = linkedLocales(locales, context, locale);
  const t = (key: Parameters<InterfaceStrings['t']>[1], values?: Record<string, string>) => strings.t(locale, key, values);
  // A date inside a sentence of the locale: "Published on <time>…</time>".
  const dated = (key: 'statement.published' | 'statement.updated', date: string) => {
    const [before, after] = t(key, { date: '\u0000' }).split('\u0000');
    return [before, h('time', { dateTime: date }, [strings.date(locale, date)]), after];
  };
  const meta = h('p', { className: ['meta'] }, [
    ...dated('statement.published', frontMatter.date),
    dates?.updated ? [' · ', ...dated('statement.updated', dates.updated)] : undefined,
    frontMatter.author && ` · ${t('statement.author', { author: frontMatter.author })}`,
  ]);
  // The statement's own contact, without what its signature already says; the site's default press contact is in the footer.
  const contact = contactBeyondSignature(frontMatter.contact, document.tree);
  const path = pagePath(locale, slug);
  const versions = linked.map((lng) => ({ locale: lng, path: pagePath(lng, slug) }));
  const image = firstImage(document.tree);
  const downloads = h('p', { className: ['downloads'] }, [
    h('a', { href: pdfName(locale, slug), type: 'application/pdf', hrefLang: locale }, [t('statement.downloadPdf')]),
    h('a', { href: markdownName(locale, slug), type: 'text/markdown', hrefLang: locale }, [t('statement.downloadMarkdown')]),
  ]);
  const { partial } = document;
  const fallback = (kind: SegmentKind) => (partial?.kinds.includes(kind) ? partial.locale : undefined);
  return renderShell({
    locale,
    strings,
    baseUrl: context.site.baseUrl,
    links: context.site.links,
    path,
    title: `${frontMatter.title} · ${context.site.name ?? t('site.title')}`,
    description: frontMatter.summary,
    alternates: versions,
    feed: feedOf(locale, context),
    brand: context,
    contact: sameContact(contact, context.site.contact) ? undefined : context.site.contact,
    meta: shareMetadata({
      brand: context,
      strings,
      locale,
      sourceLocale: statement.frontMatter.lang,
      title: frontMatter.title,
      description: frontMatter.summary,
      published: frontMatter.date,
      modified: dates?.updated ?? frontMatter.date,
      author: frontMatter.author,
      path,
      versions,
      image: image && { path: path + image.url, alt: image.alt || t('statement.image') },
    }),
    xDefault: pagePath(linked.includes(statement.frontMatter.lang) ? statement.frontMatter.lang : (linkedLocales(locales, context)[0] ?? locale), slug),
    main: [
      h('article', {}, [
        h('h1', { lang: fallback('title') }, [frontMatter.title]),
        meta,
        partial && partialNotice(locale, partial.locale, strings),
        ...bodyToHast(document.tree, locale, strings),
        contactBlock(contact, locale, strings, fallback('contact-role')),
        downloads,
      ]),
    ],
  });
}
