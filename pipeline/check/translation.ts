/**
 * Translation quality, per statement × target locale, on the translation as
 * the translator wrote it (before any fallback), reported on the locale
 * file at the line of the key: contacts and names kept, interpolation
 * variables preserved, no segment left untranslated or in the wrong
 * language, no alt text emptied. Tags and staleness are checked by
 * reassembly itself, with the same places.
 */
import { francAll } from 'franc';
import type { Root } from 'mdast';
import type { VFile } from 'vfile';
import { plainText } from '../extract/index.ts';
import { bundleOf, bundlePlace, type Catalog } from '../project/index.ts';
import type { Diagnostics } from '../diagnostics.ts';
import type { TranslationResolver } from '../reassemble/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Segment, Statement } from '../types.ts';
import { findEmails, findUrls, linkTargets, segmentContacts, type Contacts } from './find.ts';
import { compareContacts, compareNames, type TranslationPlace } from './contacts.ts';
import type { Reporter } from './report.ts';
import type { ResolvedChecks } from './settings.ts';

/** ISO 639-3 codes franc answers with, for the languages statements are written in. */
const ISO3: Record<string, string> = { nl: 'nld', fr: 'fra', en: 'eng', de: 'deu', es: 'spa', it: 'ita', pt: 'por', pl: 'pol', sv: 'swe', da: 'dan' };
const NAMES: Record<string, string> = {
  nld: 'Dutch',
  fra: 'French',
  eng: 'English',
  deu: 'German',
  spa: 'Spanish',
  ita: 'Italian',
  por: 'Portuguese',
  pol: 'Polish',
  swe: 'Swedish',
  dan: 'Danish',
};
const iso3 = (locale: Locale) => ISO3[locale.split('-')[0]!.toLowerCase()];

/** Shorter texts are not given to language detection: too few trigrams to be sure. */
export const DETECT_MIN_CHARS = 60;
/** Segments with fewer words may stay identical (names, product titles). */
export const IDENTICAL_MIN_WORDS = 3;

const VARIABLE = /\{\{\s*[^{}]+?\s*\}\}|\$t\([^()]*\)/g;

/** What a statement's translations are compared with, computed once for all its locales. */
export interface SourceFacts {
  contacts: Contacts[];
  plain: string[];
  variables: string[][];
  names: string[];
  definitions: Map<string, string>;
  /** Link, image and definition targets of the whole source tree. */
  targets: string[];
  /** Languages franc may choose from: those of the statement's locales. */
  languages: string[];
}

export function sourceFacts(statement: Statement, segments: Segment[], names: string[], definitions: Map<string, string>): SourceFacts {
  return {
    contacts: segments.map((segment) => segmentContacts(segment.source, segment.tags, definitions)),
    plain: segments.map((segment) => plainText(segment.source)),
    variables: segments.map((segment) => variablesOf(segment.source)),
    names,
    definitions,
    targets: linkTargets(statement.tree),
    languages: [...new Set(statement.locales.map(iso3).filter((code): code is string => code !== undefined))],
  };
}

const variablesOf = (text: string) => [...text.matchAll(VARIABLE)].map((match) => match[0].replace(/\s+/g, '')).sort();

export interface TranslationCheckInput {
  statement: Statement;
  segments: Segment[];
  facts: SourceFacts;
  locale: Locale;
  catalog: Catalog;
  resolver: TranslationResolver;
  diagnostics: Diagnostics;
  config: Pick<ResolvedConfig, 'localesDir'>;
  checks: ResolvedChecks;
  report: Reporter;
}

/** Check every translated segment of one locale against its source. */
export function checkTranslation(input: TranslationCheckInput): void {
  const { statement, segments, facts, locale, report } = input;
  const sourceLocale = statement.frontMatter.lang;
  const allowed = new Set(input.checks.allowIdentical);
  const expected = iso3(locale);
  // The fallback chain as i18next walks it: the first non-empty string wins.
  const chain = input.resolver.chain(locale, sourceLocale).map((lng) => ({ locale: lng, bundle: input.catalog.bundles.get(lng)?.bundle ?? {} }));
  segments.forEach((segment, index) => {
    const found = chain.find((link) => typeof link.bundle[segment.key] === 'string' && link.bundle[segment.key] !== '');
    // Missing translations are reported by reassembly; the source text is used.
    if (!found || found.locale === sourceLocale) return;
    const bundle = bundleOf(input.catalog, found.locale, input.config, statement.slug);
    const diagnostics = input.diagnostics;
    // Located only when something is reported: most segments have nothing to say.
    const at: TranslationPlace = {
      get file() {
        return diagnostics.file(bundle.path);
      },
      get place() {
        return bundlePlace(bundle, segment.key);
      },
      key: segment.key,
      locale: found.locale,
      note: `Source: ${segment.source}`,
    };
    const value = found.bundle[segment.key]!;
    const plain = plainText(value);

    compareContacts(facts.contacts[index]!, segmentContacts(value, segment.tags, facts.definitions), at, report);
    compareNames(facts.names, facts.plain[index]!, plain, at, report);

    const variables = variablesOf(value);
    const source = facts.variables[index]!;
    if (variables.join('\u0000') !== source.join('\u0000')) {
      const lost = source.filter((name) => !variables.includes(name));
      const extra = variables.filter((name) => !source.includes(name));
      const parts = [...lost.map((name) => `missing \`${name}\``), ...extra.map((name) => `unexpected \`${name}\``)];
      report(
        at.file,
        'interpolation-mismatch',
        `Variables of the ${at.locale} translation of \`${segment.key}\` differ from the source: ${parts.join(', ') || 'different count'}`,
        at.place,
        at.note,
      );
    }

    if (segment.kind === 'image-alt' && plain === '') {
      report(at.file, 'image-alt', `The ${at.locale} alt text \`${segment.key}\` is empty, expected a translated description of the image`, at.place, at.note);
    }

    const key = `${statement.slug}:${segment.key}`;
    if (allowed.has(segment.key) || allowed.has(key)) return;
    const prose = stripAddresses(plain);
    if (plain === facts.plain[index]) {
      const words = prose.split(/\s+/).filter((word) => /\p{L}{2}/u.test(word) && !facts.names.some((name) => name.split(/\s+/).includes(word)));
      if (words.length >= IDENTICAL_MIN_WORDS) {
        report(
          at.file,
          'untranslated',
          `The ${at.locale} translation of \`${segment.key}\` is identical to the source, expected it translated (or list \`${key}\` in \`checks.allowIdentical\`)`,
          at.place,
          at.note,
        );
      }
      return;
    }
    const sample = withoutNames(prose);
    if (expected && facts.languages.length > 1 && sample.length >= DETECT_MIN_CHARS && report.enabled('wrong-language')) {
      // Common words settle most cases; the trigram model decides the rest.
      const scores =
        likelyLanguage(sample, facts.languages) === expected
          ? [[expected, 1] as [string, number]]
          : francAll(sample, { only: facts.languages, minLength: DETECT_MIN_CHARS });
      const [detected] = scores[0] ?? ['und'];
      const margin = scores.find(([code]) => code === expected)?.[1] ?? 0;
      if (detected !== 'und' && detected !== expected && margin < 0.95) {
        report(
          at.file,
          'wrong-language',
          `The ${at.locale} translation of \`${segment.key}\` reads as ${NAMES[detected] ?? detected}, expected ${NAMES[expected] ?? expected}`,
          at.place,
          at.note,
        );
      }
    }
  });
}

/** The most frequent short words of the languages statements are written in. */
const COMMON: Record<string, Set<string>> = {
  eng: new Set('the and of to is that for with this are was have has not on by from as be it we our their which'.split(' ')),
  nld: new Set('de het een en van is dat voor met niet zijn op te aan door ook als wij onze hun die wordt werd er'.split(' ')),
  fra: new Set('le la les et des est que pour avec dans une un du sur pas sont par nous notre leur qui au aux ce'.split(' ')),
  deu: new Set('der die das und ist nicht mit für von den dem ein eine auf zu wir unsere ihre auch sind wird'.split(' ')),
};

/**
 * The language whose common words clearly dominate `text` (at least three
 * of them and twice as many as any other), or undefined when unsure.
 */
export function likelyLanguage(text: string, languages: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().split(/[^\p{L}]+/u)) {
    for (const language of languages) if (COMMON[language]?.has(word)) counts.set(language, (counts.get(language) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  return first && first[1] >= 3 && (!second || first[1] >= 2 * second[1]) ? first[0] : undefined;
}

/**
 * Capitalised words after the first are mostly names (`Follow The Money`,
 * `De Tijd`), which read as the language they come from: left out of detection.
 */
const withoutNames = (text: string) =>
  text
    .replace(/(?<=\S\s+)\p{Lu}[\p{L}'’-]*/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** Addresses say nothing about the language around them. */
const stripAddresses = (text: string) => {
  let out = text;
  for (const value of [...findEmails(text), ...findUrls(text)]) out = out.replace(value, ' ');
  return out.replace(/\s+/g, ' ').trim();
};

/**
 * End to end: the reassembled tree of a locale has exactly the link targets
 * of the source tree (they travel in the tag table, so a difference means
 * the tag mapping broke). Reported on the locale file.
 */
export function compareTrees(facts: SourceFacts, tree: Root, locale: Locale, file: VFile, report: Reporter): void {
  const targets = linkTargets(tree);
  if (targets.join('\u0000') === facts.targets.join('\u0000')) return;
  const lost = facts.targets.filter((url) => !targets.includes(url));
  const extra = targets.filter((url) => !facts.targets.includes(url));
  report(
    file,
    'link-changed',
    `The reassembled ${locale} document has other link targets than the source: ${[...lost.map((url) => `missing \`${url}\``), ...extra.map((url) => `unexpected \`${url}\``)].join(', ') || 'different count'}`,
    { line: 1, column: 1 },
  );
}
