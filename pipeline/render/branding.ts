/**
 * The organisation on every page (`site` in the config): its logo and name
 * in the header, its accent colour in the stylesheet, and in the footer the
 * "About <organisation>" boilerplate, the default press contact and its
 * profile links. Hast fragments for the page shell.
 */
import { h } from 'hastscript';
import type { Element, ElementContent } from 'hast';
import type { InterfaceStrings } from './strings.ts';
import { DEFAULT_ACCENT, type ResolvedSite } from './settings.ts';
import type { Contact, Locale } from '../types.ts';

/** The organisation's logo, read by `loadLogo`. */
export interface LogoAsset {
  /** Path below the site root, e.g. `logo.svg`. */
  path: string;
  type: 'svg' | 'png';
  contentType: string;
  data: Buffer;
}

/** What the shell needs of the organisation. */
export interface Brand {
  site: ResolvedSite;
  logo?: LogoAsset;
}

/** The accent colour as the stylesheet's `--accent`, when it is not the default. */
export const accentRule = (site: Pick<ResolvedSite, 'accentColor'>) => (site.accentColor === DEFAULT_ACCENT ? '' : `\n:root{--accent:${site.accentColor}}`);

/** The organisation's name, or the site's title in `locale` when none is configured. */
export const organisation = (brand: Brand, strings: InterfaceStrings, locale: Locale) => brand.site.name ?? strings.t(locale, 'site.title');

/** Logo (decorative: the name is beside it), name and the site's title, for the header's home link. */
export function brandMark(brand: Brand, strings: InterfaceStrings, locale: Locale, logoHref: string | undefined): ElementContent[] {
  const title = strings.t(locale, 'site.title');
  return [
    ...(brand.logo && logoHref ? [h('img', { className: ['logo'], src: logoHref, alt: '', height: 32 })] : []),
    ...(brand.site.name ? [h('span', { className: ['organisation'] }, [brand.site.name]), { type: 'text' as const, value: ' ' }] : []),
    h('span', { className: brand.site.name ? ['site-title'] : undefined }, [title]),
  ];
}

/** A press contact's lines with mail and phone links, the form the page and the footer share; `roleLang` marks a role left in the source language. */
export function contactLines(contact: Contact, locale: Locale, strings: InterfaceStrings, roleLang?: Locale): ElementContent[] {
  const lines: ElementContent[] = [];
  const push = (...items: ElementContent[]) => {
    if (lines.length > 0) lines.push(h('br'));
    lines.push(...items);
  };
  if (contact.name) push({ type: 'text', value: contact.name });
  if (contact.role) push(roleLang ? h('span', { lang: roleLang }, [contact.role]) : { type: 'text', value: contact.role });
  if (contact.email) push({ type: 'text', value: `${strings.t(locale, 'statement.email')}: ` }, h('a', { href: `mailto:${contact.email}` }, [contact.email]));
  if (contact.phone)
    push(
      { type: 'text', value: `${strings.t(locale, 'statement.phone')}: ` },
      h('a', { href: `tel:${contact.phone.replace(/[^\d+]/g, '')}` }, [contact.phone]),
    );
  return lines;
}

/** "About <organisation>" and its boilerplate in `locale`, when the project has one. */
export function aboutSection(brand: Brand, strings: InterfaceStrings, locale: Locale, lang?: Locale): Element | undefined {
  const about = strings.about(locale, organisation(brand, strings, locale));
  if (!about) return undefined;
  const id = `about-${locale}`;
  return h('section', { className: ['about'], ariaLabelledBy: [id], lang }, [h('h2', { id }, [about.heading]), h('p', {}, [about.text])]);
}

/** The default press contact, in the footer. */
export function pressContact(contact: Contact | undefined, strings: InterfaceStrings, locale: Locale): Element | undefined {
  if (!contact || !Object.values(contact).some(Boolean)) return undefined;
  return h('section', { className: ['press-contact'], ariaLabelledBy: ['site-contact'] }, [
    h('h2', { id: 'site-contact' }, [strings.t(locale, 'statement.contact')]),
    h('p', {}, contactLines(contact, locale, strings)),
  ]);
}

/** The organisation's profile links (`site.social`), by their names. */
export function profileLinks(brand: Brand): Element | undefined {
  const social = Object.entries(brand.site.social);
  return social.length === 0
    ? undefined
    : h(
        'ul',
        { className: ['social'] },
        social.map(([name, url]) => h('li', {}, [h('a', { href: url, rel: ['me'] }, [name])])),
      );
}

/** The footer's organisation part: boilerplate, default press contact (unless the page shows it already), profile links. */
export function brandFooter(brand: Brand, strings: InterfaceStrings, locale: Locale, contact: Contact | undefined): Array<Element | undefined> {
  return [aboutSection(brand, strings, locale), pressContact(contact, strings, locale), profileLinks(brand)];
}

/** Whether two contacts name the same person the same way (the footer then leaves the site's out). */
export const sameContact = (a: Contact | undefined, b: Contact | undefined) =>
  Boolean(a && b) && a!.name === b!.name && a!.email === b!.email && a!.phone === b!.phone;
