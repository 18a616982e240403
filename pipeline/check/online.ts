/**
 * Online mode (`statements check --online`): probe every external URL of
 * the checked statements once, with bounded concurrency overall and per
 * host, and look up the MX records of mail domains. Results are cached in
 * `.cache/links.json` for a time to live, so a second run is fast; only
 * definite answers are cached, never a timeout or a 5xx.
 */
import { Resolver } from 'node:dns/promises';
import path from 'node:path';
import pLimit, { type LimitFunction } from 'p-limit';
import type { VFile } from 'vfile';
import type { Position } from 'unist';
import { readTextIfExists, stringifyJson, writeFileAtomic } from '../project/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Statement } from '../types.ts';
import { isValidEmail, mailtoAddresses, type LinkUse } from './find.ts';
import { frontMatterPlace } from './contacts.ts';
import { hostOf, isAllowed, placeholderReason } from './placeholders.ts';
import { malformedReason } from './links.ts';
import { defaultSleep, PERMANENT, probeUrl, type ProbeOptions, type ProbeResult } from './probe.ts';
import type { Reporter } from './report.ts';

export type ProbeOverrides = Partial<ProbeOptions>;

const FORMAT = 1;

interface MxResult {
  ok: boolean;
  error?: string;
  checkedAt: number;
}

/** `.cache/links.json`: probe results by URL and MX answers by domain, each with its time. */
export class LinkCache {
  #urls: Record<string, ProbeResult> = {};
  #domains: Record<string, MxResult> = {};
  #dirty = false;
  private constructor(
    readonly file: string,
    readonly ttlMs: number,
  ) {}

  static async open(cacheDir: string, ttlMs: number): Promise<LinkCache> {
    const cache = new LinkCache(path.join(cacheDir, 'links.json'), ttlMs);
    try {
      const text = await readTextIfExists(cache.file);
      const value = text ? (JSON.parse(text) as { format?: number; urls?: Record<string, ProbeResult>; domains?: Record<string, MxResult> }) : undefined;
      if (value?.format === FORMAT) {
        cache.#urls = value.urls ?? {};
        cache.#domains = value.domains ?? {};
      }
    } catch {
      // A corrupt cache only costs a full run.
    }
    return cache;
  }

  #fresh = (entry: { checkedAt: number } | undefined) => entry !== undefined && Date.now() - entry.checkedAt < this.ttlMs;

  url(url: string): ProbeResult | undefined {
    const entry = this.#urls[url];
    return this.#fresh(entry) ? entry : undefined;
  }

  /** Keep definite answers: a status below 500 other than 429. */
  setUrl(result: ProbeResult): void {
    if (result.status === undefined || result.status === 429 || result.status >= 500) return;
    this.#urls[result.url] = result;
    this.#dirty = true;
  }

  domain(domain: string): MxResult | undefined {
    const entry = this.#domains[domain];
    return this.#fresh(entry) ? entry : undefined;
  }

  setDomain(domain: string, result: MxResult): void {
    if (result.error === 'timeout') return;
    this.#domains[domain] = result;
    this.#dirty = true;
  }

  async save(): Promise<void> {
    if (!this.#dirty) return;
    const now = Date.now();
    const keep = <T extends { checkedAt: number }>(entries: Record<string, T>) =>
      Object.fromEntries(
        Object.entries(entries)
          .filter(([, entry]) => now - entry.checkedAt < this.ttlMs)
          .sort(([a], [b]) => a.localeCompare(b)),
      );
    await writeFileAtomic(this.file, stringifyJson({ format: FORMAT, urls: keep(this.#urls), domains: keep(this.#domains) }));
    this.#dirty = false;
  }
}

export interface OnlineContext {
  config: ResolvedConfig;
  report: Reporter;
  overrides?: ProbeOverrides;
}

interface Place {
  file: VFile;
  position?: Position;
}

/** Probe `urls` with bounded concurrency overall and per host, through the cache. */
export async function probeAll(
  urls: string[],
  settings: { concurrency: number; perHost: number },
  options: ProbeOptions,
  cache?: LinkCache,
): Promise<Map<string, ProbeResult>> {
  const global = pLimit(Math.max(1, settings.concurrency));
  const hosts = new Map<string, LimitFunction>();
  const results = new Map<string, ProbeResult>();
  await Promise.all(
    urls.map(async (url) => {
      const cached = cache?.url(url);
      if (cached) return void results.set(url, cached);
      const host = hostOf(url) ?? '';
      let limit = hosts.get(host);
      if (!limit) hosts.set(host, (limit = pLimit(Math.max(1, settings.perHost))));
      const result = await limit(() => global(() => probeUrl(url, options)));
      cache?.setUrl(result);
      results.set(url, result);
    }),
  );
  return results;
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;

/** What online mode needs of a statement, kept while the rest of its tree is let go. */
export interface OnlineTargets {
  file: VFile;
  uses: LinkUse[];
  contactEmail?: { address: string; position?: Position };
}

export function onlineTargets(statement: Statement, uses: LinkUse[]): OnlineTargets {
  const address = statement.frontMatter.contact?.email;
  const place = address ? frontMatterPlace(statement, 'email') : undefined;
  return { file: statement.file, uses, contactEmail: address ? { address, position: place && { start: place, end: place } } : undefined };
}

/** Probe every external link of the statements and report dead, unreachable and moved ones at each use. */
export async function checkOnline(statements: OnlineTargets[], context: OnlineContext): Promise<void> {
  const { config, report } = context;
  const settings = config.checks.online;
  const options: ProbeOptions = {
    timeoutMs: settings.timeoutMs,
    retries: settings.retries,
    backoffMs: settings.backoffMs,
    maxRetryAfterMs: settings.maxRetryAfterSeconds * 1000,
    maxRedirects: 10,
    sleep: defaultSleep,
    ...context.overrides,
  };
  const cache = await LinkCache.open(config.cacheDir, settings.cacheTtlHours * 3_600_000);
  const places = new Map<string, Place[]>();
  const emails = new Map<string, Place[]>();
  const add = <K>(map: Map<K, Place[]>, key: K, place: Place) => map.set(key, [...(map.get(key) ?? []), place]);
  for (const { file, uses, contactEmail } of statements) {
    for (const use of uses) {
      if (/^mailto:/i.test(use.url)) for (const address of mailtoAddresses(use.url)) add(emails, address, { file, position: use.position });
      if (!/^https?:\/\//i.test(use.url) || isAllowed(use.url, config.checks) || placeholderReason(use.url) || malformedReason(use.url)) continue;
      add(places, use.url.split('#')[0]!, { file, position: use.position });
    }
    if (contactEmail) add(emails, contactEmail.address, { file, position: contactEmail.position });
  }
  // An http link whose https twin answers should use it.
  const twins = [...places.keys()].filter((url) => /^http:\/\//i.test(url)).map((url) => url.replace(/^http:/i, 'https:'));
  const [results, twinResults] = await Promise.all([
    probeAll([...places.keys()], settings, options, cache),
    report.enabled('link-insecure') ? probeAll(twins, settings, { ...options, retries: 0 }, cache) : new Map<string, ProbeResult>(),
  ]);
  for (const [url, uses] of places) {
    const result = results.get(url)!;
    const twin = twinResults.get(url.replace(/^http:/i, 'https:'));
    for (const { file, position } of uses) {
      reportProbe(result, file, position, options, report);
      if (twin?.status !== undefined && twin.status < 400) report(file, 'link-insecure', `Link \`${url}\` uses \`http:\`, expected \`${twin.url}\``, position);
    }
  }
  if (settings.mx && report.enabled('mail-domain')) await checkMailDomains(emails, settings, cache, report);
  await cache.save();
}

function reportProbe(result: ProbeResult, file: VFile, position: Position | undefined, options: ProbeOptions, report: Reporter): void {
  const { url } = result;
  if (result.error === 'timeout') return report(file, 'link-unreachable', `Link \`${url}\` did not answer within ${seconds(options.timeoutMs)}`, position);
  if (result.error) return report(file, 'link-unreachable', `Link \`${url}\` could not be reached: ${result.error}`, position);
  const status = result.status!;
  const final = result.redirects.at(-1)?.to;
  if (status === 429 || status >= 500) return report(file, 'link-unreachable', `Link \`${url}\` answers ${status} after ${result.attempts} attempts`, position);
  if (status >= 400)
    return report(file, 'link-dead', `Link \`${url}\` is broken: ${final ? `it redirects to \`${final}\`, which answers` : 'it answers'} ${status}`, position);
  if (!final) return;
  const permanent = result.redirects.filter((redirect) => PERMANENT.has(redirect.status));
  if (permanent.length > 0 && report.enabled('link-redirect'))
    report(file, 'link-redirect', `Link \`${url}\` moved permanently (${permanent[0]!.status}) to \`${final}\`, expected the new URL`, position);
  else report.info(file, 'link-redirect', `Link \`${url}\` redirects temporarily to \`${final}\``, position);
}

/** Mail domains must accept mail: an MX record, or at least an address record. */
async function checkMailDomains(emails: Map<string, Place[]>, settings: ResolvedConfig['checks']['online'], cache: LinkCache, report: Reporter): Promise<void> {
  const resolver = new Resolver({ timeout: Math.max(1, settings.timeoutMs), tries: 1 });
  if (settings.dnsServers?.length) resolver.setServers(settings.dnsServers);
  const byDomain = new Map<string, Place[]>();
  for (const [address, places] of emails) {
    if (!isValidEmail(address)) continue;
    const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), ...places]);
  }
  const limit = pLimit(Math.max(1, settings.concurrency));
  await Promise.all(
    [...byDomain].map(([domain, places]) =>
      limit(async () => {
        let result = cache.domain(domain);
        if (!result) {
          result = await lookup(resolver, domain);
          cache.setDomain(domain, result);
        }
        if (result.ok) return;
        for (const { file, position } of places) {
          report(
            file,
            'mail-domain',
            result.error === 'timeout'
              ? `Mail domain \`${domain}\` did not answer a DNS query`
              : `Mail domain \`${domain}\` has no MX record: mail to it cannot be delivered`,
            position,
          );
        }
      }),
    ),
  );
}

async function lookup(resolver: Resolver, domain: string): Promise<MxResult> {
  const checkedAt = Date.now();
  const codeOf = (caught: unknown) => (caught as NodeJS.ErrnoException).code ?? 'error';
  try {
    const records = await resolver.resolveMx(domain);
    if (records.some((record) => record.exchange !== '')) return { ok: true, checkedAt };
  } catch (caught) {
    const code = codeOf(caught);
    if (code === 'ETIMEOUT' || code === 'ECONNREFUSED') return { ok: false, error: 'timeout', checkedAt };
  }
  try {
    // No MX: mail falls back to the domain's own address (RFC 5321).
    await resolver.resolve4(domain);
    return { ok: true, checkedAt };
  } catch (caught) {
    const code = codeOf(caught);
    return { ok: false, error: code === 'ETIMEOUT' || code === 'ECONNREFUSED' ? 'timeout' : code, checkedAt };
  }
}
