/**
 * Retries with exponential backoff and full jitter for what a store or a
 * network throws at a large upload: throttling (503 SlowDown, 429), other
 * 5xx answers, and connection resets. Everything else fails at once.
 */
import { networkCode, statusOf, type RequestFailure } from './errors.ts';

export interface RetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  /** Milliseconds; the n-th retry waits a random time up to `baseDelay × 2^n`. */
  baseDelay: number;
  /** Upper bound of one wait, milliseconds. */
  maxDelay: number;
}

/** Told about each retry, for progress output and tests. */
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

/** The wait before retry number `attempt` (1-based): full jitter over an exponential ceiling. */
export function backoff(attempt: number, options: RetryOptions, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxDelay, options.baseDelay * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Run `task` until it succeeds, a failure is not retryable, or the retries are spent. */
export async function withRetry<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions,
  listener?: RetryListener,
  retryable: (error: unknown) => boolean = isRetryable,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= options.retries || !retryable(error)) throw error;
      const delay = backoff(attempt + 1, options);
      listener?.({ attempt: attempt + 1, delay, error });
      await sleep(delay);
    }
  }
}
