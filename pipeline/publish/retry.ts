/**
 * Retries for what a store or a network throws at a large upload: throttling
 * (503 SlowDown, 429), other 5xx answers, connection resets and a stored
 * object that came back with other bytes. Everything else fails at once.
 * The attempts are run by `p-retry`; which failures are transient, and the
 * wait before each retry (exponential, full jitter), are decided here.
 */
import pRetry from 'p-retry';
import { setTimeout as sleep } from 'node:timers/promises';
import { networkCode, statusOf, type RequestFailure } from './errors.ts';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** Milliseconds; the n-th retry waits a random time up to `baseDelay × 2^(n-1)`. */
  baseDelay: number;
  /** Upper bound of one wait, milliseconds. */
  maxDelay: number;
}

/** Told about each retry, before its wait, for progress output and tests. */
export type RetryListener = (info: { attempt: number; delay: number; error: unknown }) => void;

const THROTTLING = new Set(['SlowDown', 'Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled']);
const TRANSIENT = new Set(['RequestTimeout', 'RequestTimeoutException', 'InternalError', 'ServiceUnavailable', 'TimeoutError', 'IntegrityMismatch']);
const NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ESOCKETTIMEDOUT', 'EAI_AGAIN', 'ECONNREFUSED', 'UND_ERR_SOCKET']);

/** Whether a failed request is worth another attempt. */
export function isRetryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429 || (status !== undefined && status >= 500)) return true;
  const name = (error as RequestFailure | undefined)?.name ?? '';
  if (THROTTLING.has(name) || TRANSIENT.has(name)) return true;
  const code = networkCode(error);
  return code !== undefined && NETWORK.has(code);
}

/**
 * The wait before retry number `attempt` (1-based): full jitter over an
 * exponential ceiling. p-retry's own `randomize` only stretches a wait by 1–2×,
 * so clients throttled together would come back together; full jitter spreads them.
 */
export function backoff(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelay, options.baseDelay * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** Run `task` (given the 0-based attempt) until it succeeds, a failure is not retryable, or the retries are spent. */
export function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions,
  listener?: RetryListener,
  retryable: (error: unknown) => boolean = isRetryable,
): Promise<T> {
  return pRetry((attemptNumber) => task(attemptNumber - 1), {
    retries: options.retries,
    // p-retry's wait is off; the full-jitter wait happens once a retry is decided.
    minTimeout: 0,
    // Called only while retries are left; resolving `true` starts the next attempt.
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!retryable(error)) return false;
      const attempt = retriesConsumed + 1;
      const delay = backoff(attempt, options);
      listener?.({ attempt, delay, error });
      await sleep(delay);
      return true;
    },
  });
}
