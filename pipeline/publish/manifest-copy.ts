/**
 * The last manifest read from or written to a bucket, kept with its ETag in
 * `.cache/targets/<id>.manifest`: a publish asks the bucket for its manifest
 * only if it changed (`If-None-Match`), so a publish where nothing changed
 * costs one small request instead of the manifest's megabytes, over a slow
 * connection as much as to a local store. A manifest another publisher
 * wrote has another ETag and is read in full.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { readTextIfExists, writeFileAtomic } from '../project/index.ts';
import type { S3TargetSpec } from './settings.ts';

export interface KeptManifest {
  /** The ETag the bucket gave the manifest, without quotes. */
  etag: string;
  text: string;
}

export class ManifestCopy {
  constructor(readonly file: string) {}

  /** The copy for the bucket, endpoint and prefix of `spec`, in `cacheDir`. */
  static of(cacheDir: string, spec: S3TargetSpec): ManifestCopy {
    const id = createHash('sha256')
      .update(JSON.stringify([spec.endpoint ?? '', spec.bucket, spec.prefix]))
      .digest('hex')
      .slice(0, 16);
    return new ManifestCopy(path.join(cacheDir, 'targets', `${id}.manifest`));
  }

  /** The kept manifest: its ETag on the first line, its text after. */
  async read(): Promise<KeptManifest | undefined> {
    const kept = await readTextIfExists(this.file).catch(() => undefined);
    const newline = kept?.indexOf('\n') ?? -1;
    if (!kept || newline <= 0) return undefined;
    return { etag: kept.slice(0, newline), text: kept.slice(newline + 1) };
  }

  /** Keep `text` as the bucket holds it under `etag`. Best effort: without a copy, the next publish reads the manifest in full. */
  async keep(etag: string | undefined, text: string): Promise<void> {
    if (!etag || etag.includes('\n')) return;
    await writeFileAtomic(this.file, `${etag}\n${text}`).catch(() => undefined);
  }
}
