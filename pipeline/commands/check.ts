/**
 * `statements check`: every check of contact and link integrity and of
 * translation quality, on the source tree of each statement and on each
 * reassembled locale. Problems of the shared skeleton (link targets, which
 * translators cannot change) are reported once on the statement; problems of
 * a translation on its locale file, at the line of the key. The publish
 * command calls `checkProject` as its gate.
 */
import path from 'node:path';
import { Diagnostics, report as reportOn } from '../diagnostics.ts';
import { CONFIG_FILE } from '../paths.ts';
import { reassemble, TranslationResolver } from '../reassemble/index.ts';
import { bundleOf, findStatements } from '../project/index.ts';
import { eachStatement } from './statements.ts';
import { headingIds } from '../parse/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Statement, Version } from '../types.ts';
import { locateFixes, untranslated, withhold, withholdErrors, type Withholdings } from './readiness.ts';
import {
  applySeverities,
  checkFragments,
  checkLinks,
  checkOnline,
  checkPlaceholders,
  checkSourceContacts,
  checkTranslation,
  collectLinks,
  compareTrees,
  createReporter,
  definitionsOf,
  InsecureLinks,
  onlineTargets,
  type OnlineTargets,
  type ProbeOverrides,
  ProjectIndex,
  protectedNames,
  sourceFacts,
} from '../check/index.ts';

export interface CheckOptions {
  /** Only these statements; default all. */
  slugs?: string[];
  /** Warnings count as errors (placeholder links, missing translations…). Default `config.strict`. */
  strict?: boolean;
  /** Probe external URLs and mail domains. Default false. */
  online?: boolean;
  /** Online probing internals, for tests and benchmarks (e.g. a recorded `sleep`). */
  probe?: ProbeOverrides;
}

export interface CheckReport {
  diagnostics: Diagnostics;
  errors: number;
  warnings: number;
  /** Every version of the statements checked, withheld as publish would for its errors or missing translations (review aside). */
  versions: Version[];
}

/** Run every check on the project; never throws for a finding, never exits. */
export async function checkProject(config: ResolvedConfig, options: CheckOptions = {}): Promise<CheckReport> {
  const strict = options.strict ?? config.strict;
  const checks = config.checks;
  const diagnostics = new Diagnostics(config.root);
  const report = createReporter(checks, strict);
  const entries = await findStatements(config, diagnostics, options.slugs);
  const index = new ProjectIndex(options.slugs?.length ? await findStatements(config, new Diagnostics(config.root)) : entries);
  const resolver = new TranslationResolver(config);
  const insecure = new InsecureLinks();
  const online: OnlineTargets[] = [];
  const withheld: Withholdings = new Map();
  const versions: Array<[string, Locale[]]> = [];

  // A few statements in flight: their trees are let go once checked. The source is checked even when a bundle is broken.
  await eachStatement(
    entries,
    config,
    diagnostics,
    async ({ entry, statement, catalog, segments }) => {
      index.setIds(entry.slug, headingIds(statement.tree));
      versions.push([entry.slug, statement.locales]);
      const uses = collectLinks(statement.tree);
      const file = statement.file;
      // The shared skeleton: once, on the statement.
      checkPlaceholders(uses, file, report, checks);
      checkLinks({ tree: statement.tree, uses, fromFile: entry.file, file, index, checks, report });
      insecure.add(file, uses, checks);
      checkSourceContacts(statement, uses, file, report);
      if (options.online) online.push(onlineTargets(statement, uses));
      await checkFragments(uses, entry.file, file, index, report);
      // Each locale: reassembled (tags, missing, stale) and compared with the source.
      if (!catalog.ok) return;
      resolver.withBundles(entry.slug, catalog.bundles, () => {
        const facts = sourceFacts(statement, segments, protectedNames(statement), definitionsOf(statement.tree));
        for (const locale of targetLocales(statement)) {
          const document = reassemble(statement, segments, locale, { resolver, catalog, diagnostics, config });
          const shortfall = untranslated(segments.length, document.missing.length, document.stale.length, config.translation.minTranslated);
          if (shortfall) withhold(withheld, entry.slug, locale, shortfall);
          compareTrees(facts, document.tree, locale, diagnostics.file(bundleOf(catalog, locale, config, entry.slug).path), report);
          checkTranslation({ statement, segments, facts, locale, catalog, resolver, diagnostics, config, checks, report });
        }
      });
    },
    { concurrency: 4, wholeCatalog: false },
  );
  insecure.report(report);
  if (!config.site.baseUrl) missingBaseUrl(config, diagnostics);
  if (options.online) await checkOnline(online, { config, report, overrides: options.probe });

  applySeverities(diagnostics, checks, strict);
  const { errors, warnings } = diagnostics.count();
  withholdErrors(diagnostics, config, entries, withheld);
  const checked: Version[] = versions
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([slug, locales]) =>
      locales.map((locale) => ({ slug, locale, ...(withheld.get(slug)?.has(locale) ? { withheld: withheld.get(slug)!.get(locale)! } : {}) })),
    );
  locateFixes(checked, diagnostics, config, entries);
  return { diagnostics, errors, warnings, versions: checked };
}

/** Said once per check: what a site without `site.baseUrl` goes without. */
function missingBaseUrl(config: ResolvedConfig, diagnostics: Diagnostics) {
  reportOn(diagnostics.file(path.join(config.root, CONFIG_FILE)), {
    reason:
      'Missing `site.baseUrl`: pages go without canonical URLs, absolute share metadata (`og:url`, `og:image`, JSON-LD ids), sitemap, feeds and links in PDFs; expected the absolute URL the site is served from',
    ruleId: 'site-base-url',
    severity: 'info',
  });
}

const targetLocales = (statement: Statement) => statement.locales.filter((locale) => locale !== statement.frontMatter.lang);
