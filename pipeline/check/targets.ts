/**
 * Where a relative link lands: a statement of the project (by its `.md`
 * file, or its page on the site, `../<slug>/`), another file, or nowhere.
 * Heading ids of target statements are computed once and shared.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { headingIds, parseMarkdown } from '../parse/index.ts';
import { safeDecode } from './find.ts';
import type { StatementEntry } from '../project/index.ts';

/** A link target split into its parts. */
export interface SplitUrl {
  path: string;
  fragment?: string;
}

export function splitUrl(url: string): SplitUrl {
  const hash = url.indexOf('#');
  const fragment = hash === -1 ? undefined : safeDecode(url.slice(hash + 1));
  const rest = hash === -1 ? url : url.slice(0, hash);
  return { path: safeDecode(rest.split('?')[0]!), fragment };
}

export const hasScheme = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url);

export type Target = { kind: 'statement'; slug: string } | { kind: 'file'; file: string } | { kind: 'missing'; file: string } | { kind: 'external' };

/** Every statement of the project, for relative links and fragments into other statements. */
export class ProjectIndex {
  readonly #files = new Map<string, string>();
  readonly #ids = new Map<string, Promise<string[] | undefined>>();
  constructor(readonly entries: StatementEntry[]) {
    for (const entry of entries) this.#files.set(path.resolve(entry.file), entry.slug);
  }

  get slugs(): string[] {
    return this.entries.map((entry) => entry.slug);
  }

  /** Record the heading ids of a statement already parsed, so it is not read again. */
  setIds(slug: string, ids: string[]): void {
    this.#ids.set(slug, Promise.resolve(ids));
  }

  /** The heading ids of `slug`'s page, as the HTML renderer generates them. */
  ids(slug: string): Promise<string[] | undefined> {
    let ids = this.#ids.get(slug);
    if (!ids) {
      const entry = this.entries.find((candidate) => candidate.slug === slug);
      ids = entry
        ? readFile(entry.file, 'utf8').then(
            (text) => headingIds(parseMarkdown(text)),
            () => undefined,
          )
        : Promise.resolve(undefined);
      this.#ids.set(slug, ids);
    }
    return ids;
  }

  /** Resolve a relative link written in `fromFile` (absolute path of a statement). */
  resolve(url: string, fromFile: string): Target {
    if (hasScheme(url) || url.startsWith('//')) return { kind: 'external' };
    const { path: target } = splitUrl(url);
    if (target === '') return { kind: 'statement', slug: this.#files.get(path.resolve(fromFile)) ?? '' };
    if (target.startsWith('/')) {
      const slug = this.#siteSlug(target);
      return slug ? { kind: 'statement', slug } : { kind: 'external' };
    }
    const file = path.resolve(path.dirname(fromFile), target);
    const slug = this.#files.get(file);
    if (slug) return { kind: 'statement', slug };
    if (existsSync(file)) return { kind: 'file', file };
    const site = this.#siteSlug(target);
    if (site) return { kind: 'statement', slug: site };
    return { kind: 'missing', file };
  }

  /** `../<slug>/`, `../../<lng>/<slug>/index.html` and the like: a statement's page on the site. */
  #siteSlug(target: string): string | undefined {
    const parts = target.split('/').filter((part) => part !== '' && part !== '.' && part !== '..');
    if (parts.length === 0 || parts.length > 3) return undefined;
    const last = parts.at(-1)!;
    if (/\.(?:html?|pdf|md)$/.test(last)) parts.pop();
    const slug = parts.at(-1);
    return slug && this.slugs.includes(slug) && (parts.length === 1 || /^[a-z]{2,3}(?:-[A-Z]{2})?$/.test(parts[0]!)) ? slug : undefined;
  }
}
