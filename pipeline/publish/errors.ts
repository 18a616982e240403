/**
 * Publishing fails with one sentence a person can act on: what is wrong and
 * what to fix. The CLI prints it and exits 1; the library never exits.
 */

/** A publish that cannot start or could not finish; `message` is the sentence to print. */
export class PublishError extends Error {
  /** Objects that could not be uploaded or deleted, when the failure happened part-way. */
  readonly failed: string[];
  constructor(message: string, failed: string[] = []) {
    super(message);
    this.name = 'PublishError';
    this.failed = failed;
  }
}

/** Raised when a store reports other bytes than were sent: retried, then fatal. */
export class IntegrityMismatch extends Error {
  override readonly name = 'IntegrityMismatch';
  constructor(key: string, expected: string, actual: string | undefined) {
    super(`stored \`${key}\` has MD5 \`${actual ?? 'none'}\`, expected \`${expected}\``);
  }
}

/** What the SDK or the socket layer says about a failed request. */
export interface RequestFailure {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $fault?: string;
  cause?: unknown;
}

/** The network error code of a failure, looking through `cause` chains. */
export function networkCode(error: unknown): string | undefined {
  let current = error as RequestFailure | undefined;
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(current.code)) return current.code;
    current = current.cause as RequestFailure | undefined;
  }
  return undefined;
}

/** HTTP status of a failed request, when there was a response. */
export function statusOf(error: unknown): number | undefined {
  return (error as RequestFailure | undefined)?.$metadata?.httpStatusCode;
}

/** A short `Name: message` for lists of failed objects. */
export function briefly(error: unknown): string {
  const failure = error as RequestFailure;
  const name = networkCode(error) ?? failure?.name ?? 'Error';
  const status = statusOf(error);
  const message = failure?.message && failure.message !== name && !/^UnknownError$/.test(failure.message) ? `: ${failure.message}` : '';
  return `${name}${status ? ` (HTTP ${status})` : ''}${message}`.slice(0, 200);
}
