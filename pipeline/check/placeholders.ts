/**
 * Placeholder links: targets a writer meant to fill in later (`#`, empty,
 * `TODO`, example.com, localhost). A problem of the shared skeleton, so it
 * is reported once, on the statement, at the link.
 */
import type { VFile } from 'vfile';
import type { LinkUse } from './find.ts';
import type { Reporter } from './report.ts';
import type { ResolvedChecks } from './settings.ts';

const PLACEHOLDER_HOSTS = /^(?:(?:[\w-]+\.)*example\.(?:com|org|net)|(?:[\w-]+\.)*localhost|0\.0\.0\.0)$/i;

/** Host of an absolute URL, lowercased, or undefined. */
export function hostOf(url: string): string | undefined {
  try {
    const host = new URL(url).hostname.toLowerCase();
    return host || undefined;
  } catch {
    return undefined;
  }
}

/** Whether the config allows `url` outright (`allowUrls`, with `*` prefixes, or `allowDomains`). */
export function isAllowed(url: string, checks: Pick<ResolvedChecks, 'allowUrls' | 'allowDomains'>): boolean {
  if (checks.allowUrls.some((allowed) => (allowed.endsWith('*') ? url.startsWith(allowed.slice(0, -1)) : url === allowed))) return true;
  const host = hostOf(url);
  return host !== undefined && checks.allowDomains.some((domain) => host === domain || host.endsWith(`.${domain}`));
}

/** Why `url` is a placeholder, or undefined when it is a real target. */
export function placeholderReason(url: string): string | undefined {
  const target = url.trim();
  if (target === '') return 'Empty link target';
  if (/^#*$/.test(target)) return `Placeholder link target "${target}"`;
  if (/\b(?:todo|tbd|fixme|xxx)\b/i.test(target)) return `Placeholder link target "${target}"`;
  const host = /^[a-z][a-z0-9+.-]*:\/\//i.test(target) ? hostOf(target) : undefined;
  if (host && PLACEHOLDER_HOSTS.test(host)) return `Placeholder link target "${target}" (\`${host}\` is not a real site)`;
  return undefined;
}

/** Report every placeholder target of the source tree on the statement file. */
export function checkPlaceholders(uses: LinkUse[], file: VFile, report: Reporter, checks: ResolvedChecks): void {
  if (!report.enabled('link-placeholder')) return;
  for (const use of uses) {
    if (isAllowed(use.url, checks)) continue;
    const reason = placeholderReason(use.url);
    if (!reason) continue;
    const what = use.kind === 'image' ? 'image' : use.kind === 'definition' ? `definition \`[${use.text}]\`` : use.text ? `link \`${use.text}\`` : 'link';
    report(file, 'link-placeholder', `${reason} on ${what}, expected the real URL`, use.position);
  }
}
