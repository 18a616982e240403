/**
 * Probe one external URL: HEAD first, GET when HEAD is refused; redirects
 * followed one hop at a time and recorded; 429 and 5xx retried with backoff,
 * honouring `Retry-After`; every request bounded by a timeout.
 */

export interface ProbeOptions {
  timeoutMs: number;
  /** Retries after a 429, a 5xx or a network error (not after a timeout). */
  retries: number;
  /** First wait when no `Retry-After` is given; doubled per retry. */
  backoffMs: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries. */
  maxRetryAfterMs: number;
  maxRedirects: number;
  /** How to wait between retries; tests record the waits instead. */
  sleep: (ms: number) => Promise<void>;
}

export const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Redirect {
  status: number;
  from: string;
  to: string;
}

export interface ProbeResult {
  url: string;
  /** Status of the last response; absent when no response came. */
  status?: number;
  /** `timeout`, or the network error's code or message. */
  error?: string;
  redirects: Redirect[];
  method: 'HEAD' | 'GET';
  /** Requests made, retries included. */
  attempts: number;
  /** `Date.now()` when probed, for the cache's time to live. */
  checkedAt: number;
}

type Answer = { status: number; location?: string; retryAfter?: string } | { error: string };

const REDIRECT = new Set([301, 302, 303, 307, 308]);
export const PERMANENT = new Set([301, 308]);

async function request(url: string, method: 'HEAD' | 'GET', options: ProbeOptions): Promise<Answer> {
  try {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: { 'user-agent': 'statements-check/1 (link checker)', accept: '*/*' },
    });
    await response.body?.cancel().catch(() => undefined);
    return { status: response.status, location: response.headers.get('location') ?? undefined, retryAfter: response.headers.get('retry-after') ?? undefined };
  } catch (caught) {
    const error = caught as Error & { cause?: { code?: string; message?: string } };
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return { error: 'timeout' };
    return { error: error.cause?.code ?? error.cause?.message ?? error.message };
  }
}

/** Milliseconds a `Retry-After` header asks for (seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const transient = (answer: Answer) => ('error' in answer ? answer.error !== 'timeout' : answer.status === 429 || answer.status >= 500);

/** One request with its retries. */
async function withRetries(url: string, method: 'HEAD' | 'GET', options: ProbeOptions, count: { attempts: number }): Promise<Answer> {
  for (let retry = 0; ; retry++) {
    const answer = await request(url, method, options);
    count.attempts++;
    if (!transient(answer) || retry >= options.retries) return answer;
    const asked = 'status' in answer ? retryAfterMs(answer.retryAfter) : undefined;
    if (asked !== undefined && asked > options.maxRetryAfterMs) return answer;
    await options.sleep(asked ?? options.backoffMs * 2 ** retry);
  }
}

export async function probeUrl(url: string, options: ProbeOptions): Promise<ProbeResult> {
  const count = { attempts: 0 };
  const redirects: Redirect[] = [];
  let current = url;
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    let method: 'HEAD' | 'GET' = 'HEAD';
    let answer = await withRetries(current, method, options, count);
    // Some servers refuse or mishandle HEAD: ask again with GET.
    if (('status' in answer && answer.status >= 400 && answer.status < 500 && answer.status !== 429) || ('error' in answer && answer.error !== 'timeout')) {
      method = 'GET';
      answer = await withRetries(current, method, options, count);
    }
    const done = (extra: Partial<ProbeResult>): ProbeResult => ({ url, redirects, method, attempts: count.attempts, checkedAt: Date.now(), ...extra });
    if ('error' in answer) return done({ error: answer.error });
    if (REDIRECT.has(answer.status) && answer.location) {
      const next = new URL(answer.location, current).href;
      redirects.push({ status: answer.status, from: current, to: next });
      current = next;
      continue;
    }
    return done({ status: answer.status });
  }
  return { url, redirects, method: 'HEAD', attempts: count.attempts, checkedAt: Date.now(), error: `more than ${options.maxRedirects} redirects` };
}
