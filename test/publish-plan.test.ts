/**
 * The publish plan: what is uploaded, why, in which order, what is left
 * alone and what is deleted, from the built site and what the target holds.
 */
import path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { scanSite, type SiteObject } from '../pipeline/publish/site.ts';
import { MANIFEST_KEY, createManifest } from '../pipeline/publish/manifest.ts';
import { planPublish, type RemoteState } from '../pipeline/publish/plan.ts';
import type { RemoteObject } from '../pipeline/publish/target.ts';
import { fixtureProject } from './setup/publish.ts';

let site: SiteObject[];
beforeAll(async () => {
  site = await scanSite(path.join(fixtureProject, 'site'), { revisions: new Map() });
});

const options = { delete: false, forced: false, check: { errors: 0, warnings: 0 } };
const published = (objects: SiteObject[], etag: (object: SiteObject) => string = (object) => object.md5) =>
  new Map<string, RemoteObject>(objects.map((object) => [object.key, { size: object.size, etag: etag(object) }]));
const manifestOf = (objects: SiteObject[]) => createManifest(objects, { forced: false, check: { errors: 0, warnings: 0 } });

describe('publish plan', () => {
  test('everything is new on an empty target, ordered files, pages, indexes, home page', () => {
    const plan = planPublish(site, { listing: new Map() }, options);
    expect(plan.uploads.every((upload) => upload.reason === 'new')).toBe(true);
    const phases = plan.uploads.map((upload) => upload.object.phase);
    expect(phases).toEqual([...phases].sort((a, b) => ['files', 'pages', 'indexes', 'home'].indexOf(a) - ['files', 'pages', 'indexes', 'home'].indexOf(b)));
    expect(plan.bytes).toBe(site.reduce((sum, object) => sum + object.size, 0));
    expect(plan.writeManifest).toBe(true);
  });

  test('with the manifest of the same site, nothing is uploaded and the manifest is not rewritten', () => {
    const plan = planPublish(site, { manifest: manifestOf(site) }, options);
    expect(plan.uploads).toEqual([]);
    expect(plan.unchanged.length).toBe(site.length);
    expect(plan.writeManifest).toBe(false);
  });

  test('without a manifest, objects whose listed MD5 ETag matches are left alone', () => {
    const [changed, ...same] = site;
    const listing = published(same);
    listing.set(changed!.key, { size: changed!.size, etag: '0'.repeat(32) });
    const plan = planPublish(site, { listing }, options);
    expect(plan.uploads.map((upload) => [upload.object.key, upload.reason])).toEqual([[changed!.key, 'changed']]);
  });

  test('opaque ETags (SSE-KMS) recorded in the manifest are recognized in a listing', () => {
    const manifest = manifestOf(site);
    for (const object of site) manifest.objects[object.key]!.etag = `kms-${object.key}`;
    const plan = planPublish(site, { manifest, listing: published(site, (object) => `kms-${object.key}`) }, { ...options, delete: true });
    expect(plan.uploads).toEqual([]);
    expect(plan.unchanged.every((object) => plan.manifest.objects[object.key]!.etag === `kms-${object.key}`)).toBe(true);

    // Replaced by someone else: another opaque ETag, so it is uploaded again.
    const listing = published(site, (object) => `kms-${object.key}`);
    listing.set(site[0]!.key, { size: site[0]!.size, etag: 'kms-other' });
    expect(planPublish(site, { manifest, listing }, options).uploads.map((upload) => upload.reason)).toEqual(['changed']);
  });

  test('an object the manifest lists but the listing lacks is uploaded again', () => {
    const listing = published(site.slice(1));
    expect(planPublish(site, { manifest: manifestOf(site), listing }, options).uploads.map((upload) => [upload.object.key, upload.reason])).toEqual([
      [site[0]!.key, 'missing'],
    ]);
  });

  test('changed headers re-upload the object', () => {
    const manifest = manifestOf(site);
    const pdf = site.find((object) => object.key.endsWith('.pdf'))!;
    manifest.objects[pdf.key]!.headers = 'old-policy';
    expect(planPublish(site, { manifest }, options).uploads.map((upload) => [upload.object.key, upload.reason])).toEqual([[pdf.key, 'headers']]);
  });

  test('--delete lists what the previous manifest lists and the build no longer produces, pages before files, never the manifest', () => {
    const listing = published(site);
    const manifest = manifestOf(site);
    for (const key of ['en/old/old-en.pdf', 'en/old/index.html', 'en/old-index.html', MANIFEST_KEY]) {
      listing.set(key, { size: 1, etag: '0'.repeat(32) });
      manifest.objects[key] = { sha256: '0'.repeat(64), md5: '0'.repeat(32), size: 1, contentType: 'text/html', headers: 'h' };
    }
    const remote: RemoteState = { listing, manifest };
    expect(planPublish(site, remote, { ...options, delete: true }).deletions).toEqual(['en/old-index.html', 'en/old/index.html', 'en/old/old-en.pdf']);
    expect(planPublish(site, remote, options).deletions).toEqual([]);
  });

  test('--delete leaves files no earlier publish recorded, and those changed since, and says so', () => {
    const listing = published(site);
    const manifest = manifestOf(site);
    listing.set('notes/mine.txt', { size: 4, etag: '1'.repeat(32) });
    listing.set('old.pdf', { size: 5, etag: '2'.repeat(32) });
    manifest.objects['old.pdf'] = { sha256: '0'.repeat(64), md5: '0'.repeat(32), size: 5, contentType: 'application/pdf', headers: 'h' };
    const plan = planPublish(site, { listing, manifest }, { ...options, delete: true });
    expect(plan.deletions).toEqual([]);
    expect(plan.notes).toEqual(['--delete left 2 files that no earlier publish wrote or that changed since: `notes/mine.txt`, `old.pdf`']);
  });

  test('--delete without a previous manifest deletes nothing, and says so', () => {
    const listing = published(site);
    listing.set('stale.html', { size: 3, etag: '0'.repeat(32) });
    const plan = planPublish(site, { listing }, { ...options, delete: true });
    expect(plan.deletions).toEqual([]);
    expect(plan.notes).toEqual([`--delete removed nothing: the target has no \`${MANIFEST_KEY}\` of an earlier publish, so no file there is known to be ours`]);
  });

  test('a manifest key with `..` or an empty segment is never deleted', () => {
    const manifest = manifestOf(site);
    const listing = published(site);
    for (const key of ['../outside.html', 'a//b.html', './x.html']) {
      manifest.objects[key] = { sha256: '0'.repeat(64), md5: '0'.repeat(32), size: 1, contentType: 'text/html', headers: 'h' };
      listing.set(key, { size: 1, etag: '0'.repeat(32) });
    }
    expect(planPublish(site, { listing, manifest }, { ...options, delete: true }).deletions).toEqual([]);
  });

  test('objects an earlier publish wrote stay in the manifest until --delete removes them', () => {
    const manifest = manifestOf(site);
    manifest.objects['old.pdf'] = { sha256: '0'.repeat(64), md5: '0'.repeat(32), size: 5, contentType: 'application/pdf', headers: 'h' };
    const kept = planPublish(site, { manifest }, options);
    expect(kept.manifest.objects['old.pdf']).toEqual(manifest.objects['old.pdf']);
    expect(Object.keys(kept.manifest.objects)).toEqual(Object.keys(kept.manifest.objects).sort());
    expect(kept.writeManifest).toBe(false);
    const listing = published(site);
    listing.set('old.pdf', { size: 5, etag: '0'.repeat(32) });
    const deleted = planPublish(site, { manifest, listing }, { ...options, delete: true });
    expect(deleted.deletions).toEqual(['old.pdf']);
    expect(deleted.manifest.objects['old.pdf']).toBeUndefined();
  });
});
