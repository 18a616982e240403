/**
 * The rules of `statements check`, their default severities, and the
 * `checks` section of `statements.config.json` that tunes them. Imported by
 * the config (types, defaults, validation) and by every rule family.
 */
import propose from 'propose';

/** Severity a rule can be set to in the config. */
export type RuleSetting = 'error' | 'warning' | 'off';

/** Every rule `statements check` reports, with its default severity and what it proves. */
export const RULES = {
  // Contact integrity
  'email-changed': { severity: 'error', about: 'An email address of the source is missing, changed or new in a translation' },
  'phone-changed': { severity: 'error', about: 'A phone number of the source (compared by its digits) is missing, changed or new in a translation' },
  'link-changed': { severity: 'error', about: 'A link target of the source is missing or new in a translation' },
  'name-changed': { severity: 'error', about: 'A name of the signature or the front-matter contact is changed in a translation' },
  'email-invalid': { severity: 'error', about: 'An email address is not syntactically valid' },
  'mailto-mismatch': { severity: 'error', about: 'A mailto link shows a different address than it opens' },
  'contact-mismatch': { severity: 'error', about: 'The front-matter contact email or phone is not the one in the body' },
  // Link integrity
  'link-placeholder': { severity: 'warning', about: 'A link target is a placeholder: `#`, empty, `TODO`, example.com or localhost' },
  'link-malformed': { severity: 'error', about: 'A link target is not a valid URL' },
  'link-insecure': { severity: 'warning', about: 'An `http:` link whose host is also linked, or answers, over `https:`' },
  'link-fragment': { severity: 'error', about: 'A `#fragment` matches no heading id of the target page' },
  'link-missing': { severity: 'error', about: 'A relative link points to a statement or file that does not exist' },
  'image-alt': { severity: 'error', about: 'An image has no alt text (in the source or a translation)' },
  'link-dead': { severity: 'error', about: 'Online: an external link answers 404, 410 or another client error' },
  'link-unreachable': { severity: 'warning', about: 'Online: an external link times out, fails, or keeps answering 429/5xx' },
  'link-redirect': { severity: 'warning', about: 'Online: an external link redirects permanently (temporary redirects are info)' },
  'mail-domain': { severity: 'error', about: 'Online: the domain of an email address has no MX (or address) record' },
  // Translation quality
  'tag-mismatch': { severity: 'error', about: 'A translation drops, adds or breaks a numbered tag' },
  'interpolation-mismatch': { severity: 'error', about: 'A translation drops or adds an interpolation variable (`{{name}}`, `$t(key)`)' },
  untranslated: { severity: 'warning', about: 'A translation is identical to the source' },
  'wrong-language': { severity: 'warning', about: 'A longer translation reads as another language than its locale' },
  'missing-translation': { severity: 'warning', about: 'A segment has no translation; the source text is used' },
  'stale-translation': { severity: 'warning', about: 'The source changed since the segment was translated' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; about: string }>;

export type RuleId = keyof typeof RULES;

export const isRuleId = (value: string): value is RuleId => Object.hasOwn(RULES, value);

/** Settings of online probing (`statements check --online`). */
export interface OnlineChecks {
  /** Parallel requests in all. Default 16. */
  concurrency?: number;
  /** Parallel requests to one host. Default 4. */
  perHost?: number;
  /** Per request. Default 10000. */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx or a network error. Default 2. */
  retries?: number;
  /** First backoff when no `Retry-After` is given, doubled per retry. Default 500. */
  backoffMs?: number;
  /** Longest `Retry-After` honoured; longer waits count as unreachable. Default 30. */
  maxRetryAfterSeconds?: number;
  /** How long a probe result in `.cache/links.json` is trusted. Default 24. */
  cacheTtlHours?: number;
  /** Look up MX records of email domains. Default true. */
  mx?: boolean;
  /** DNS servers for the MX lookup (`host[:port]`); default the system's. */
  dnsServers?: string[];
}

/** The `checks` section of the config, as a user may write it. */
export interface UserChecks {
  /** Severity per rule id, e.g. `{"link-insecure": "error", "untranslated": "off"}`. */
  rules?: Partial<Record<RuleId, RuleSetting>>;
  /** Placeholder links are errors, not warnings. Default false. */
  strictPlaceholders?: boolean;
  /** URLs never reported or probed; a trailing `*` allows every URL with that prefix. */
  allowUrls?: string[];
  /** Domains (with their subdomains) never reported or probed, e.g. `example.com` in a how-to. */
  allowDomains?: string[];
  /** Keys whose translation may equal the source: `key` or `slug:key`. */
  allowIdentical?: string[];
  online?: OnlineChecks;
}

/** The same, every default filled in. */
export interface ResolvedChecks {
  rules: Partial<Record<RuleId, RuleSetting>>;
  allowUrls: string[];
  allowDomains: string[];
  allowIdentical: string[];
  online: Required<Omit<OnlineChecks, 'dnsServers'>> & { dnsServers?: string[] };
}

export function resolveChecks(user: UserChecks = {}): ResolvedChecks {
  const online = user.online ?? {};
  const rules = { ...user.rules };
  if (user.strictPlaceholders && rules['link-placeholder'] === undefined) rules['link-placeholder'] = 'error';
  return {
    rules,
    allowUrls: user.allowUrls ?? [],
    allowDomains: (user.allowDomains ?? []).map((domain) => domain.toLowerCase().replace(/^\*?\./, '')),
    allowIdentical: user.allowIdentical ?? [],
    online: {
      concurrency: online.concurrency ?? 16,
      perHost: online.perHost ?? 4,
      timeoutMs: online.timeoutMs ?? 10_000,
      retries: online.retries ?? 2,
      backoffMs: online.backoffMs ?? 500,
      maxRetryAfterSeconds: online.maxRetryAfterSeconds ?? 30,
      cacheTtlHours: online.cacheTtlHours ?? 24,
      mx: online.mx ?? true,
      dnsServers: online.dnsServers,
    },
  };
}

/** Report what is wrong with a `checks` section on the config file; `fail` marks a message fatal. */
export function validateChecks(value: unknown, fail: (reason: string) => void): void {
  if (value === undefined) return;
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const isStrings = (v: unknown) => Array.isArray(v) && v.every((item) => typeof item === 'string');
  if (!isObject(value)) return fail('Unexpected `checks`, expected an object such as `{"rules": {"link-placeholder": "error"}}`');
  if (value.rules !== undefined) {
    if (!isObject(value.rules)) fail('Unexpected `checks.rules`, expected an object of rule ids and `"error"`, `"warning"` or `"off"`');
    else {
      for (const [rule, setting] of Object.entries(value.rules)) {
        if (!isRuleId(rule)) fail(`Unknown rule \`${rule}\` in \`checks.rules\`${suggest(rule, Object.keys(RULES))}`);
        else if (setting !== 'error' && setting !== 'warning' && setting !== 'off')
          fail(`Unexpected \`checks.rules.${rule}\`, expected \`"error"\`, \`"warning"\` or \`"off"\``);
      }
    }
  }
  if (value.strictPlaceholders !== undefined && typeof value.strictPlaceholders !== 'boolean')
    fail('Unexpected `checks.strictPlaceholders`, expected `true` or `false`');
  for (const field of ['allowUrls', 'allowDomains', 'allowIdentical'] as const) {
    if (value[field] !== undefined && !isStrings(value[field])) fail(`Unexpected \`checks.${field}\`, expected a list of strings`);
  }
  if (value.online !== undefined) {
    if (!isObject(value.online)) return fail('Unexpected `checks.online`, expected an object such as `{"timeoutMs": 5000}`');
    for (const field of ['concurrency', 'perHost', 'timeoutMs', 'retries', 'backoffMs', 'maxRetryAfterSeconds', 'cacheTtlHours'] as const) {
      const number = value.online[field];
      if (number !== undefined && !(typeof number === 'number' && number >= 0 && Number.isFinite(number)))
        fail(`Unexpected \`checks.online.${field}\`, expected a number of 0 or more`);
    }
    if (value.online.mx !== undefined && typeof value.online.mx !== 'boolean') fail('Unexpected `checks.online.mx`, expected `true` or `false`');
    if (value.online.dnsServers !== undefined && !isStrings(value.online.dnsServers))
      fail('Unexpected `checks.online.dnsServers`, expected a list such as `["127.0.0.1:5353"]`');
  }
}

/** `, did you mean \`x\`?` for the nearest candidate, or nothing when none is close (remark-validate-links' threshold). */
export function suggest(value: string, candidates: Iterable<string>): string {
  const best = propose(value, [...candidates], { threshold: 0.7 });
  return best === null ? '' : `, did you mean \`${best}\`?`;
}
