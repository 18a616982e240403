/**
 * A local folder as a target (`public/` by default): the same layout, order
 * and manifest as a bucket, each file written atomically (temp file + rename),
 * so a newcomer sees the whole job work with no account and no server.
 */
import { readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTextIfExists, writeFileAtomic } from '../fs.ts';
import { hashBytes, listFiles } from './site.ts';
import { IntegrityMismatch, type PutRequest, type RemoteObject, type Target } from './target.ts';
import type { LocalTargetSpec } from './settings.ts';

export class LocalTarget implements Target {
  readonly description: string;
  readonly baseUrl: string;
  constructor(
    readonly spec: LocalTargetSpec,
    publicUrl?: string,
  ) {
    this.description = spec.dir;
    this.baseUrl = publicUrl ?? pathToFileURL(`${spec.dir}${path.sep}`).href;
  }

  #path(key: string): string {
    const file = path.resolve(this.spec.dir, ...key.split('/'));
    if (!file.startsWith(this.spec.dir + path.sep)) throw new Error(`Refusing key \`${key}\` outside \`${this.spec.dir}\``);
    return file;
  }

  async readManifest(key: string): Promise<string | undefined> {
    return readTextIfExists(this.#path(key));
  }

  async list(): Promise<Map<string, RemoteObject>> {
    const listing = new Map<string, RemoteObject>();
    for (const key of await listFiles(this.spec.dir)) {
      const bytes = await readFile(this.#path(key));
      listing.set(key, { size: bytes.length, etag: hashBytes(bytes).md5 });
    }
    return listing;
  }

  async put(request: PutRequest): Promise<{ etag?: string }> {
    const file = this.#path(request.key);
    await writeFileAtomic(file, request.body);
    const stored = hashBytes(await readFile(file)).md5;
    if (stored !== request.md5) throw new IntegrityMismatch(request.key, request.md5, stored);
    return { etag: stored };
  }

  async remove(key: string): Promise<void> {
    const file = this.#path(key);
    await rm(file, { force: true });
    // Drop folders the removal left empty, up to the target folder itself.
    for (let dir = path.dirname(file); dir.startsWith(this.spec.dir + path.sep); dir = path.dirname(dir)) {
      try {
        await rmdir(dir);
      } catch {
        break;
      }
    }
  }

  explain(error: unknown): string {
    return `Cannot use the folder \`${this.spec.dir}\`: ${(error as Error).message}`;
  }

  isConfigurationError(error: unknown): boolean {
    return ['EACCES', 'EPERM', 'ENOTDIR', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '');
  }

  close(): void {}
}
