/**
 * A local folder as a target (`public/` by default): the same layout, order
 * and manifest as a bucket, each file written atomically (temp file + rename),
 * so a newcomer sees the whole job work with no account and no server.
 *
 * Links inside the folder are never followed to write or delete: a link
 * such as `public/en -> ../locales` would otherwise let a publish overwrite
 * or remove files anywhere. Listing skips them too (see `listFiles`).
 */
import { lstat, readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readTextIfExists, writeFileAtomic } from '../project/index.ts';
import { PublishError } from './errors.ts';
import { hashBytes, listFiles } from './site.ts';
import type { PutRequest, RemoteObject, Target } from './target.ts';
import { IntegrityMismatch } from './errors.ts';
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
    // Regular files in real folders only: what sits behind a link is not part of the target.
    for (const key of await listFiles(this.spec.dir)) {
      const bytes = await readFile(this.#path(key));
      listing.set(key, { size: bytes.length, etag: hashBytes(bytes).md5 });
    }
    return listing;
  }

  /** `key`'s path, once no existing part of it below the folder is a link. */
  async #unlinked(key: string, action: 'write' | 'delete'): Promise<string> {
    const file = this.#path(key);
    const parts = key.split('/');
    let current = this.spec.dir;
    for (const [index, part] of parts.entries()) {
      current = path.join(current, part);
      const info = await lstat(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
        throw error;
      });
      if (!info) break;
      if (info.isSymbolicLink()) {
        throw new PublishError(
          `Refusing to ${action} \`${key}\` in \`${this.spec.dir}\`: \`${parts.slice(0, index + 1).join('/')}\` is a symbolic link, which publish never follows; replace it with a real ${index + 1 < parts.length ? 'folder' : 'file'} or remove it`,
          [key],
        );
      }
    }
    return file;
  }

  async put(request: PutRequest): Promise<{ etag?: string }> {
    const file = await this.#unlinked(request.key, 'write');
    await writeFileAtomic(file, request.body);
    const stored = hashBytes(await readFile(file)).md5;
    if (stored !== request.md5) throw new IntegrityMismatch(request.key, request.md5, stored);
    return { etag: stored };
  }

  async remove(key: string): Promise<void> {
    const file = await this.#unlinked(key, 'delete');
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
