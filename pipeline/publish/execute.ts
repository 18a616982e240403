/**
 * Carry out a publish plan, phase by phase: files, pages, indexes, home page;
 * then deletions (`--delete`); the manifest last. A phase starts only when the
 * one before it fully succeeded, so a publish cut off part-way never leaves an
 * index linking to an object that is not there, and the previous manifest
 * stays until everything it would describe is in place. Running again
 * completes the job: the plan only lists what is still missing or different.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pLimit from 'p-limit';
import { PublishError, briefly } from './errors.ts';
import { MANIFEST_KEY, serializeManifest } from './manifest.ts';
import { withRetry, type RetryListener, type RetryOptions } from './retry.ts';
import { PHASES, hashBytes, type Phase } from './site.ts';
import type { PlannedUpload, PublishPlan } from './plan.ts';
import type { Target } from './target.ts';
import { headersFor } from './headers.ts';

export interface ProgressEvent {
  phase: Phase | 'delete';
  key: string;
  /** Objects uploaded or deleted so far, of `total`. */
  done: number;
  total: number;
  bytes: number;
  totalBytes: number;
}

export interface ExecuteOptions {
  concurrency: number;
  retry: RetryOptions;
  onProgress?: (event: ProgressEvent) => void;
  onRetry?: (info: { key: string; attempt: number; delay: number; reason: string }) => void;
}

export interface ExecuteResult {
  uploaded: string[];
  deleted: string[];
  manifestWritten: boolean;
  /** Requests that were tried again. */
  retries: number;
  bytes: number;
}

/** Upload, delete and write the manifest as planned; throws a PublishError naming what failed. */
export async function executePlan(plan: PublishPlan, target: Target, options: ExecuteOptions): Promise<ExecuteResult> {
  const result: ExecuteResult = { uploaded: [], deleted: [], manifestWritten: false, retries: 0, bytes: 0 };
  const limit = pLimit(options.concurrency);
  const total = plan.uploads.length + plan.deletions.length + (plan.writeManifest ? 1 : 0);
  const totalBytes = plan.bytes;
  let done = 0;
  const tick = (phase: ProgressEvent['phase'], key: string) => options.onProgress?.({ phase, key, done: ++done, total, bytes: result.bytes, totalBytes });
  const retrying =
    (key: string): RetryListener =>
    (info) => {
      result.retries++;
      options.onRetry?.({ key, attempt: info.attempt, delay: info.delay, reason: briefly(info.error) });
    };

  const upload = async ({ object }: PlannedUpload) => {
    // Read in one call (no file handle round trips through the thread pool); the SHA-256 alone proves the bytes are the scanned ones.
    const body = readFileSync(object.file);
    if (createHash('sha256').update(body).digest('hex') !== object.sha256)
      throw new Error(`\`${object.key}\` changed while publishing; build again and publish`);
    const { etag } = await withRetry(
      () => target.put({ key: object.key, body, md5: object.md5, sha256: object.sha256, headers: object.headers }),
      options.retry,
      retrying(object.key),
    );
    if (etag && etag !== object.md5) plan.manifest.objects[object.key]!.etag = etag;
    result.uploaded.push(object.key);
    result.bytes += object.size;
    tick(object.phase, object.key);
  };

  for (const phase of PHASES) {
    const batch = plan.uploads.filter((upload) => upload.object.phase === phase);
    const failures = await settle(
      batch.map((item) =>
        limit(() =>
          upload(item).then(
            () => undefined,
            (error: unknown) => ({ key: item.object.key, error }),
          ),
        ),
      ),
    );
    if (failures.length > 0) {
      refuseFirst(failures);
      const later = plan.uploads.length - result.uploaded.length - failures.length;
      throw new PublishError(
        `Could not upload ${failures.length} of ${plan.uploads.length} objects to ${target.description}: ${list(failures)}. ` +
          `${later > 0 ? `${later} later objects (indexes, home page) were not uploaded, so ` : ''}the published site and its manifest still link only to objects that exist; run the command again to complete the publish`,
        failures.map((failure) => failure.key),
      );
    }
  }

  const removals = await settle(
    plan.deletions.map((key) =>
      limit(async () => {
        try {
          await withRetry(() => target.remove(key), options.retry, retrying(key));
          result.deleted.push(key);
          tick('delete', key);
        } catch (error) {
          return { key, error };
        }
        return undefined;
      }),
    ),
  );
  if (removals.length > 0) {
    refuseFirst(removals);
    throw new PublishError(
      `Uploaded everything, but could not delete ${removals.length} objects from ${target.description}: ${list(removals)}; run the command again with --delete`,
      removals.map((failure) => failure.key),
    );
  }

  if (plan.writeManifest) {
    const body = serializeManifest(plan.manifest);
    const { md5, sha256 } = hashBytes(body);
    try {
      await withRetry(
        () => target.put({ key: MANIFEST_KEY, body, md5, sha256, headers: headersFor({ key: MANIFEST_KEY, sha256 }) }),
        options.retry,
        retrying(MANIFEST_KEY),
      );
    } catch (error) {
      throw new PublishError(
        `Uploaded everything, but could not write the manifest \`${MANIFEST_KEY}\` to ${target.description} (${briefly(error)}); run the command again`,
        [MANIFEST_KEY],
      );
    }
    result.manifestWritten = true;
    tick('manifest', MANIFEST_KEY);
  }
  return result;
}

type Failure = { key: string; error: unknown };

/**
 * A target that refuses an object (a link in a local folder) says why in a
 * sentence of its own; running again would not help, so that sentence is the
 * error rather than a line in a list of failed requests.
 */
function refuseFirst(failures: Failure[]): void {
  const refusal = failures.find((failure) => failure.error instanceof PublishError);
  if (refusal)
    throw new PublishError(
      (refusal.error as PublishError).message,
      failures.map((failure) => failure.key),
    );
}

async function settle(tasks: Array<Promise<Failure | undefined>>): Promise<Failure[]> {
  return (await Promise.all(tasks)).filter((failure): failure is Failure => failure !== undefined);
}

function list(failures: Failure[]): string {
  const shown = failures
    .slice(0, 10)
    .map((failure) => `\`${failure.key}\` (${briefly(failure.error)})`)
    .join(', ');
  return failures.length > 10 ? `${shown} and ${failures.length - 10} more` : shown;
}
