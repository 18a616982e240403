/**
 * Link integrity of the shared skeleton, checked once on the source tree
 * and reported on the statement: malformed targets, relative links to
 * statements or files that do not exist, images without alt text, and
 * `http:` where the host is linked over `https:` elsewhere in the project.
 */
import path from 'node:path';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { visit } from 'unist-util-visit';
import propose from 'propose';
import { hostOf, isAllowed, placeholderReason } from './placeholders.ts';
import { suggest, type ResolvedChecks } from './settings.ts';
import { hasScheme, type ProjectIndex } from './targets.ts';
import { safeDecode, type LinkUse } from './find.ts';
import type { Reporter } from './report.ts';

const SCHEMES = ['http', 'https', 'mailto', 'tel', 'ftp', 'sftp'];
const UNSAFE = ['javascript', 'vbscript', 'data', 'file'];
const DOMAIN_LIKE = /^(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|eu|nl|be|fr|de|uk|io|info|biz|gov|edu)(?:[/?#:]|$))/i;

/** Why `url` is malformed, or undefined when it is well formed. Placeholders are left to their own rule. */
export function malformedReason(url: string): string | undefined {
  if (placeholderReason(url)) return undefined;
  if (/\s/.test(url)) return `Link target \`${url}\` contains a space, expected it encoded as \`%20\``;
  if (!hasScheme(url)) {
    if (url.startsWith('//')) return undefined;
    if (DOMAIN_LIKE.test(url)) return `Relative link \`${url}\` looks like a web address, did you mean \`https://${url}\`?`;
    if (/^[^\s/@]+@[^\s/@]+\.[a-z]{2,}$/i.test(url)) return `Relative link \`${url}\` looks like an email address, did you mean \`mailto:${url}\`?`;
    return undefined;
  }
  const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
  if (UNSAFE.includes(scheme)) return `Unexpected \`${scheme}:\` link, expected an \`https:\`, \`mailto:\` or \`tel:\` target`;
  if (!SCHEMES.includes(scheme)) {
    // Schemes are short: one letter off in four (`htp`, `tell`) is still a typo.
    const near = propose(scheme, SCHEMES, { threshold: 0.6 });
    return near === null ? undefined : `Unexpected scheme \`${scheme}:\` in \`${url}\`, did you mean \`${near}:\`?`;
  }
  if (scheme === 'http' || scheme === 'https') {
    if (!/^https?:\/\/[^/?#]+/i.test(url)) return `Malformed URL \`${url}\`, expected \`${scheme}://host/path\``;
    let host: string;
    try {
      host = new URL(url).hostname;
    } catch {
      return `Malformed URL \`${url}\`, expected \`${scheme}://host/path\``;
    }
    if (!host.includes('.') && host !== 'localhost' && !host.startsWith('['))
      return `Malformed URL \`${url}\`: host \`${host}\` has no domain, expected e.g. \`${host}.com\``;
    if (/\.\.|^\.|\.$|^-|-\./.test(host)) return `Malformed URL \`${url}\`: host \`${host}\` is not a valid name`;
    return undefined;
  }
  if (scheme === 'tel') {
    const number = safeDecode(url.slice(4));
    if (!/^\+?[\d\s().\-/]+$/.test(number) || number.replace(/\D/g, '').length < 3)
      return `Malformed phone link \`${url}\`, expected \`tel:+32…\` with digits only`;
  }
  return undefined;
}

export interface LinkCheckInput {
  tree: Root;
  uses: LinkUse[];
  /** The statement's absolute path. */
  fromFile: string;
  file: VFile;
  index: ProjectIndex;
  checks: ResolvedChecks;
  report: Reporter;
}

export function checkLinks(input: LinkCheckInput): void {
  const { uses, file, report, checks, index } = input;
  for (const use of uses) {
    if (isAllowed(use.url, checks)) continue;
    const malformed = malformedReason(use.url);
    if (malformed) {
      report(file, 'link-malformed', malformed, use.position);
      continue;
    }
    if (report.enabled('link-missing') && !placeholderReason(use.url)) {
      const target = index.resolve(use.url, input.fromFile);
      if (target.kind === 'missing') {
        const relative = path.relative(path.dirname(input.fromFile), target.file).split(path.sep).join('/');
        const slugs = relative.endsWith('.md') ? index.slugs.map((slug) => `${slug}.md`) : [];
        const what = use.kind === 'image' ? 'Image file' : relative.endsWith('.md') ? 'Link to missing statement' : 'Link to missing file';
        const tail = use.kind === 'image' ? ' not found' : '';
        report(file, 'link-missing', `${what} \`${relative}\`${tail}${suggest(path.basename(relative), slugs)}`, use.position);
      }
    }
  }
  if (report.enabled('image-alt')) {
    visit(input.tree, (node) => {
      if ((node.type === 'image' || node.type === 'imageReference') && !(node.alt ?? '').trim()) {
        const what = node.type === 'image' ? `\`${node.url}\`` : `\`[${node.label ?? node.identifier}]\``;
        report(file, 'image-alt', `Image ${what} has no alt text, expected a short description of what it shows`, node.position);
      }
    });
  }
}

/**
 * `http:` links whose host some link of the project reaches over `https:`.
 * Collected per statement, reported once every statement has been seen.
 */
export class InsecureLinks {
  readonly #https = new Set<string>();
  readonly #http: Array<{ file: VFile; use: LinkUse; host: string }> = [];

  add(file: VFile, uses: LinkUse[], checks: ResolvedChecks): void {
    for (const use of uses) {
      const host = hostOf(use.url);
      if (!host || isAllowed(use.url, checks)) continue;
      if (/^https:\/\//i.test(use.url)) this.#https.add(host);
      else if (/^http:\/\//i.test(use.url) && !placeholderReason(use.url) && !malformedReason(use.url)) this.#http.push({ file, use, host });
    }
  }

  report(report: Reporter): void {
    for (const { file, use, host } of this.#http) {
      if (this.#https.has(host))
        report(file, 'link-insecure', `Link \`${use.url}\` uses \`http:\`, expected \`${use.url.replace(/^http:/i, 'https:')}\``, use.position);
    }
  }
}
