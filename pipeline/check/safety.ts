/**
 * Translators (and statement authors) are not trusted with HTML. Rendering
 * drops raw HTML and sanitizes every page; this stage reports what would
 * have been dropped, so an attempt is a positioned error and the document is
 * not published, instead of silently disappearing.
 */
import { visit } from 'unist-util-visit';
import type { Html, Root } from 'mdast';
import { report, type Diagnostics } from '../diagnostics.ts';
import { bundleOf, bundlePlace, type Catalog } from '../project/index.ts';
import type { TranslationResolver } from '../reassemble/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Segment, Statement } from '../types.ts';

const DANGEROUS = [
  /<\s*\/?\s*(script|iframe|frame|object|embed|style|link|meta|base|form|svg|math|template)\b/i,
  /\bon[a-z]{3,}\s*=/i,
  /\b(?:java|vb)script\s*:/i,
  /\bdata\s*:\s*[a-z]+\/[a-z0-9.+-]+\s*[;,]/i,
];

/** The first dangerous construct in `value` (`<script`, `onerror=`, `javascript:` …), if any. */
export function unsafeText(value: string): string | undefined {
  for (const pattern of DANGEROUS) {
    const match = pattern.exec(value);
    if (match) return match[0];
  }
  return undefined;
}

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:', 'tel:']);

/** Links and images may be relative, fragments, or http(s)/mailto/tel URLs. */
export function isSafeUrl(url: string): boolean {
  // Browsers ignore control characters and whitespace inside a scheme.
  const compact = url.replace(/[\u0000-\u0020\u007f]+/g, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  return !scheme || SAFE_PROTOCOLS.has(`${scheme[1]!.toLowerCase()}:`);
}

/**
 * Check a statement's own markup: raw HTML carrying scripts, frames or
 * handlers (rendering drops all raw HTML) and link or image URLs with a
 * dangerous scheme. Returns false when the statement must not be published.
 */
export function checkSource(statement: Statement, segments: Segment[]): boolean {
  const file = statement.file;
  let ok = true;
  const fail = (reason: string, ruleId: string, place: Html['position']) => {
    ok = false;
    report(file, { reason, ruleId, severity: 'error', place });
  };
  visit(statement.tree as Root, (node) => {
    if (node.type === 'html') {
      const found = unsafeText(node.value);
      // Other raw HTML is dropped by rendering; that is the check stage's to lint.
      if (found) fail(`Unexpected \`${found.trim()}\` in raw HTML: scripts, frames and event handlers are never published`, 'unsafe-html', node.position);
    }
    if ((node.type === 'link' || node.type === 'image' || node.type === 'definition') && !isSafeUrl(node.url)) {
      fail(`Unexpected URL \`${node.url.slice(0, 60)}\`, expected an http(s), mailto or tel URL or a relative path`, 'unsafe-url', node.position);
    }
  });
  for (const segment of segments) {
    const found = unsafeText(segment.source);
    if (found)
      fail(`Unexpected \`${found.trim()}\` in the text: scripts, frames, event handlers and script URLs are never published`, 'unsafe-text', segment.position);
  }
  return ok;
}

/**
 * Check the strings the `locale` version uses: a translation carrying HTML
 * or a script URL is an error on the locale file, at its key.
 */
export function checkTranslations(
  statement: Statement,
  segments: Segment[],
  locale: Locale,
  context: { resolver: TranslationResolver; catalog: Catalog; diagnostics: Diagnostics; config: Pick<ResolvedConfig, 'localesDir'> },
): boolean {
  const sourceLocale = statement.frontMatter.lang;
  if (locale === sourceLocale) return true;
  let ok = true;
  for (const segment of segments) {
    const found = context.resolver.resolve(statement.slug, segment.key, locale, sourceLocale);
    if (!found || found.locale === sourceLocale) continue;
    const snippet = unsafeText(found.value);
    if (!snippet) continue;
    ok = false;
    const bundle = bundleOf(context.catalog, found.locale, context.config, statement.slug);
    report(context.diagnostics.file(bundle.path), {
      reason: `Unexpected \`${snippet.trim()}\` in the translation of \`${segment.key}\`: HTML, event handlers and script URLs are never published`,
      ruleId: 'unsafe-translation',
      severity: 'error',
      place: bundlePlace(bundle, segment.key),
      note: `Source: ${segment.source}`,
    });
  }
  return ok;
}
