/**
 * Plan, then act: compare the built site with what the target holds (the
 * previous manifest, and the listing of the prefix when needed) and decide
 * what to upload, in which order, what is unchanged and what to delete. `--dry-run`, `--json` and progress all read
 * the plan; nothing here touches the target.
 *
 * Only what an earlier publish wrote is ever deleted: the keys its manifest
 * lists, still as it left them. Anything else under the prefix (a person's
 * own files, another tool's) is not ours to remove.
 */
import { MANIFEST_KEY, createManifest, sameObjects, type CheckCounts, type Manifest, type ManifestEntry } from './manifest.ts';
import { PHASES, phaseOf, type Phase, type SiteObject } from './site.ts';
import type { RemoteObject } from './target.ts';
import type { VersionDates } from '../types.ts';

/** Why an object is uploaded. */
export type UploadReason = 'new' | 'changed' | 'missing' | 'headers';

export interface PlannedUpload {
  object: SiteObject;
  reason: UploadReason;
}

export interface PublishPlan {
  /** Uploads in publishing order (see `PHASES`), the manifest not included. */
  uploads: PlannedUpload[];
  unchanged: SiteObject[];
  /**
   * Keys the previous manifest lists, still as that publish left them, that
   * the build no longer produces: removed after every upload succeeded (`--delete`).
   */
  deletions: string[];
  /** Sentences for the person publishing: what `--delete` left alone, and why. */
  notes: string[];
  /** Bytes to upload. */
  bytes: number;
  /** The manifest describing the site after this publish. */
  manifest: Manifest;
  /** False when the target already holds this exact manifest content: a no-op publish writes nothing. */
  writeManifest: boolean;
}

/**
 * What the target holds. The manifest of the previous publish is read first;
 * the prefix is listed when there is none (or it is unreadable) and for
 * `--delete`. With both, the listing says what is really there.
 */
export interface RemoteState {
  listing?: Map<string, RemoteObject>;
  manifest?: Manifest;
}

export interface PlanOptions {
  delete: boolean;
  /**
   * Keys the build does not produce now that stay on the target as they are,
   * even with `--delete`: the earlier published files of a withheld version,
   * and those of statements a named publish leaves out.
   */
  retain?: (key: string) => boolean;
  forced: boolean;
  check: CheckCounts;
  now?: Date;
  /** The dates of every version on the target after this publish, `<lng>/<slug>` → dates. */
  versions?: Record<string, VersionDates>;
}

const rank = (phase: Phase) => PHASES.indexOf(phase);

/** Why `object` must be uploaded, or undefined when the target already has it. */
export function uploadReason(object: SiteObject, remote: RemoteState): UploadReason | undefined {
  const entry = remote.manifest?.objects[object.key];
  const recorded = entry && (entry.etag ?? entry.md5);
  const listed = remote.listing ? remote.listing.get(object.key) : entry && { size: entry.size, etag: recorded };
  if (!listed) return entry ? 'missing' : 'new';
  if (listed.size !== object.size) return 'changed';
  // The object the manifest recorded: compare hashes. Otherwise an MD5 ETag says what is there.
  const same =
    listed.etag !== undefined && listed.etag === recorded
      ? entry!.sha256 === object.sha256
      : listed.etag !== undefined && /^[0-9a-f]{32}$/.test(listed.etag)
        ? listed.etag === object.md5
        : false;
  if (!same) return 'changed';
  // Without a manifest entry the headers are unknown; the content is what matters.
  if (entry && entry.headers !== object.fingerprint) return 'headers';
  return undefined;
}

/** Decide what to upload and delete. */
export function planPublish(site: SiteObject[], remote: RemoteState, options: PlanOptions): PublishPlan {
  const uploads: PlannedUpload[] = [];
  const unchanged: SiteObject[] = [];
  for (const object of site) {
    const reason = uploadReason(object, remote);
    if (reason) uploads.push({ object, reason });
    else unchanged.push(object);
  }
  uploads.sort((a, b) => rank(a.object.phase) - rank(b.object.phase) || (a.object.key < b.object.key ? -1 : 1));
  const produced = new Set(site.map((object) => object.key));
  // Published earlier, gone from the build, and untouched since: ours to delete, or to keep recording until deleted.
  const previous = Object.entries(remote.manifest?.objects ?? {}).filter(
    ([key, entry]) => !produced.has(key) && key !== MANIFEST_KEY && plainKey(key) && asPublished(entry, remote.listing?.get(key), remote.listing !== undefined),
  );
  const retained = (key: string) => options.retain?.(key) ?? false;
  const deletions = options.delete
    ? previous
        .map(([key]) => key)
        .filter((key) => !retained(key))
        // Pages before the files they link to.
        .sort((a, b) => rank(phaseOf(b)) - rank(phaseOf(a)) || (a < b ? -1 : 1))
    : [];
  const notes: string[] = [];
  if (options.delete && !remote.manifest) {
    notes.push(`--delete removed nothing: the target has no \`${MANIFEST_KEY}\` of an earlier publish, so no file there is known to be ours`);
  } else if (options.delete) {
    const removed = new Set(deletions);
    const kept = [...(remote.listing?.keys() ?? [])].filter((key) => !produced.has(key) && !removed.has(key) && !retained(key) && key !== MANIFEST_KEY).sort();
    if (kept.length > 0) {
      const shown = kept
        .slice(0, 5)
        .map((key) => `\`${key}\``)
        .join(', ');
      notes.push(
        `--delete left ${kept.length} file${kept.length === 1 ? '' : 's'} that no earlier publish wrote or that changed since: ${shown}${kept.length > 5 ? ', …' : ''}`,
      );
    }
  }
  const manifest = createManifest(site, { forced: options.forced, check: options.check, now: options.now, versions: options.versions });
  for (const object of unchanged) {
    const etag = remote.manifest?.objects[object.key]?.etag;
    if (etag) manifest.objects[object.key]!.etag = etag;
  }
  const staying = options.delete ? previous.filter(([key]) => retained(key)) : previous;
  if (staying.length > 0) {
    // Still on the target: keep them in the manifest so that a later `--delete` knows them.
    manifest.objects = Object.fromEntries([...Object.entries(manifest.objects), ...staying].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return {
    uploads,
    unchanged,
    deletions,
    notes,
    bytes: uploads.reduce((sum, upload) => sum + upload.object.size, 0),
    manifest,
    writeManifest: uploads.length > 0 || deletions.length > 0 || !sameObjects(remote.manifest, manifest),
  };
}

/** Whether the target still holds the object as the manifest recorded it (without a listing, the manifest is all there is to go by). */
function asPublished(entry: ManifestEntry | null, listed: RemoteObject | undefined, listing: boolean): boolean {
  if (typeof entry !== 'object' || entry === null) return false;
  if (!listing) return true;
  return listed !== undefined && listed.size === entry.size && listed.etag === (entry.etag ?? entry.md5);
}

/** A key as the build writes them; a manifest listing `..`, `.`, empty segments, backslashes or control characters was not written by a publish. */
function plainKey(key: string): boolean {
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..') && !/[\\\u0000-\u001f\u007f]/.test(key);
}
