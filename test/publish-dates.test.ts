/**
 * Corrections reach readers dated: each version carries the day it was first
 * published and the day it last changed (the page's "updated on", the PDF's
 * dates), recorded in the publish manifest so that unchanged content keeps
 * its dates and bytes on any later day, on any machine.
 */
import { execFileSync } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../pipeline/config.ts';
import { publishProject } from '../pipeline/commands/publish.ts';
import { MANIFEST_KEY, parseManifest } from '../pipeline/publish/manifest.ts';
import { build, fixtureProject } from './render-support.ts';

const publish = async (root: string, today: string) => publishProject(await loadConfig(root), { env: {}, today });
const file = (root: string, key: string) => path.join(root, 'public', key);
const pdfDates = (pdf: string) => {
  const info = execFileSync('pdfinfo', ['-isodates', pdf], { encoding: 'utf8' });
  return [/^CreationDate:\s+(\S+)/m.exec(info)![1], /^ModDate:\s+(\S+)/m.exec(info)![1]];
};
const versions = async (root: string) => parseManifest(await readFile(file(root, MANIFEST_KEY), 'utf8'))!.versions!;

describe('version dates', () => {
  test('a correction is dated on the page, in the PDF and the feed; unchanged versions keep their dates and bytes on later days and from a fresh clone', async () => {
    const root = await fixtureProject();
    const first = await publish(root, '2026-01-10');
    expect(first.result?.uploaded.length).toBeGreaterThan(0);
    const fr = 'fr/press-release/press-release-fr.pdf';
    expect(pdfDates(file(root, fr))).toEqual(['2026-01-10T00:00:00Z', '2026-01-10T00:00:00Z']);
    expect(await readFile(file(root, 'fr/press-release/index.html'), 'utf8')).not.toContain('Mis à jour');
    expect((await versions(root))['fr/press-release']).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), published: '2026-01-10' });

    // Later days, and a fresh clone without .cache or dist: nothing changes, nothing is uploaded.
    // Recording the first publish changes no version's dates, so nothing is rebuilt either.
    const built = (await stat(path.join(root, 'dist', fr))).mtimeMs;
    expect((await publish(root, '2026-01-12')).result?.uploaded).toEqual([]);
    expect((await stat(path.join(root, 'dist', fr))).mtimeMs).toBe(built);
    await rm(path.join(root, '.cache'), { recursive: true });
    await rm(path.join(root, 'dist'), { recursive: true });
    const clone = await publish(root, '2026-01-13');
    expect(clone.result?.uploaded).toEqual([]);
    expect(clone.result?.manifestWritten).toBe(false);

    // A translator corrects the French text.
    const bundle = path.join(root, 'locales', 'fr', 'press-release.json');
    const values = JSON.parse(await readFile(bundle, 'utf8')) as Record<string, string>;
    values['our-response'] = 'Notre réponse, corrigée';
    await writeFile(bundle, JSON.stringify(values, null, 2));
    const corrected = await publish(root, '2026-01-15');
    const uploaded = corrected.result!.uploaded;
    expect(uploaded).toContain(fr);
    expect(uploaded.filter((key) => key.startsWith('nl/press-release/'))).toEqual([]);
    const page = await readFile(file(root, 'fr/press-release/index.html'), 'utf8');
    expect(page).toContain('Mis à jour le <time datetime="2026-01-15">15 janvier 2026</time>');
    // Share cards and search engines see the correction too.
    expect(page).toMatch(/<meta property="article:modified_time" content="2026-01-15/);
    expect(page).toMatch(/"dateModified":"2026-01-15/);
    expect(pdfDates(file(root, fr))).toEqual(['2026-01-10T00:00:00Z', '2026-01-15T00:00:00Z']);
    expect(execFileSync('pdftotext', [file(root, fr), '-'], { encoding: 'utf8' })).toContain('Mis à jour le 15 janvier 2026');
    expect(pdfDates(file(root, 'nl/press-release/press-release-nl.pdf'))).toEqual(['2026-01-10T00:00:00Z', '2026-01-10T00:00:00Z']);
    expect(await readFile(file(root, 'fr/feed.xml'), 'utf8')).toMatch(
      /<id>https:\/\/press\.example\.com\/fr\/press-release\/<\/id>[\s\S]*?<updated>2026-01-15T00:00:00Z<\/updated>/,
    );
    const recorded = await versions(root);
    expect(recorded['fr/press-release']).toMatchObject({ published: '2026-01-10', updated: '2026-01-15' });
    expect(recorded['nl/press-release']).toMatchObject({ published: '2026-01-10' });
    expect(recorded['nl/press-release']!.updated).toBeUndefined();

    // A build on a later day makes the PDF as it is online.
    await build(root, { today: '2026-02-01' });
    expect((await readFile(path.join(root, 'dist', fr))).equals(await readFile(file(root, fr)))).toBe(true);
  });
});
