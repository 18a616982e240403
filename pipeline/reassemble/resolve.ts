/**
 * String resolution with i18next's semantics: one namespace per statement,
 * one resource bundle per locale, and a fallback chain per locale
 * (`nl-BE → nl → source`). A segment's string is looked up in the bundles
 * directly, as i18next's `t` looks it up with interpolation and nesting off
 * (statement text is data: `{{…}}` or `$t(…)` in it must come out as
 * written); interface text, which has values to fill in, goes through i18next.
 */
import i18next, { type i18n } from 'i18next';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, LocaleBundle } from '../types.ts';

export interface Resolution {
  value: string;
  /** The locale the string came from: the requested one, or a fallback. */
  locale: Locale;
}

export class TranslationResolver {
  readonly #i18n: i18n;
  readonly #chains = new Map<string, readonly Locale[]>();
  /** The bundles of each namespace by locale, as added. */
  readonly #bundles = new Map<string, Map<Locale, LocaleBundle>>();
  /** Namespaces i18next has been given, for `format`. */
  readonly #formatted = new Set<string>();
  constructor(private readonly config: Pick<ResolvedConfig, 'fallback'>) {
    this.#i18n = i18next.createInstance();
    void this.#i18n.init({
      resources: {},
      fallbackLng: false,
      keySeparator: false,
      nsSeparator: false,
      returnEmptyString: false,
      returnNull: false,
      initAsync: false,
      interpolation: { escapeValue: false },
      showSupportNotice: false,
    } as Parameters<i18n['init']>[0]);
  }

  /** The bundle of `namespace` in `locale`, in place of one added before. */
  add(locale: Locale, namespace: string, bundle: LocaleBundle): void {
    let bundles = this.#bundles.get(namespace);
    if (!bundles) this.#bundles.set(namespace, (bundles = new Map()));
    bundles.set(locale, bundle);
    if (this.#formatted.has(namespace)) this.#give(locale, namespace, bundle);
  }

  /**
   * `task`, with a statement's bundles added under `namespace` and let go of
   * when it ends or throws. Synchronous, so that a command holds the bundles
   * of one statement at a time however many it has in flight.
   */
  withBundles<T>(namespace: string, bundles: ReadonlyMap<Locale, { bundle: LocaleBundle }>, task: () => T): T {
    for (const [locale, file] of bundles) this.add(locale, namespace, file.bundle);
    try {
      return task();
    } finally {
      this.forget(namespace);
    }
  }

  /** Let go of the bundles of `namespace`: a command done with a statement keeps only those of the statements in flight. */
  forget(namespace: string): void {
    const bundles = this.#bundles.get(namespace);
    if (!bundles) return;
    if (this.#formatted.delete(namespace)) for (const locale of bundles.keys()) this.#i18n.removeResourceBundle(locale, namespace);
    this.#bundles.delete(namespace);
  }

  #give(locale: Locale, namespace: string, bundle: LocaleBundle): void {
    // i18next spreads the bundle into its store: the JSON copy it makes by default, and the event, are work for nothing.
    this.#i18n.addResourceBundle(locale, namespace, bundle, false, true, { silent: true, skipCopy: true });
  }

  /** `locale`, its configured fallbacks (transitively), then the source locale. */
  chain(locale: Locale, sourceLocale: Locale): readonly Locale[] {
    // Asked for every segment: the chains are the config's, worked out once.
    const known = this.#chains.get(`${locale}\u0000${sourceLocale}`);
    if (known) return known;
    const chain: Locale[] = [];
    const visit = (lng: Locale) => {
      if (chain.includes(lng)) return;
      chain.push(lng);
      for (const next of this.config.fallback[lng] ?? []) visit(next);
    };
    visit(locale);
    if (!chain.includes(sourceLocale)) chain.push(sourceLocale);
    this.#chains.set(`${locale}\u0000${sourceLocale}`, Object.freeze(chain));
    return chain;
  }

  /** Interface text: `key` of `namespace` in `locale`, with `{{values}}` filled in when given. */
  format(namespace: string, key: string, locale: Locale, values?: Record<string, string | number>): string {
    if (!this.#formatted.has(namespace)) {
      this.#formatted.add(namespace);
      for (const [lng, bundle] of this.#bundles.get(namespace) ?? []) this.#give(lng, namespace, bundle);
    }
    return this.#i18n.t(key, { lng: locale, ns: namespace, ...values, skipInterpolation: !values }) as string;
  }

  /**
   * The string for `key`, or undefined when no locale of the chain has it:
   * the first bundle along the chain with a non-empty string, as i18next's
   * `t` answers over `lngs` with `returnEmptyString: false`.
   */
  resolve(namespace: string, key: string, locale: Locale, sourceLocale: Locale): Resolution | undefined {
    const bundles = this.#bundles.get(namespace);
    if (!bundles) return undefined;
    for (const lng of this.chain(locale, sourceLocale)) {
      const bundle = bundles.get(lng);
      const value = bundle && Object.hasOwn(bundle, key) ? bundle[key] : undefined;
      if (typeof value === 'string' && value !== '') return { value, locale: lng };
    }
    return undefined;
  }
}
