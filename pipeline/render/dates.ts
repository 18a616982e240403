/**
 * The dates a version carries (the page's "updated on", the PDF's creation
 * and modification dates), decided from the last publish's record of it and
 * the hash of its content: the same content keeps its record, changed content
 * keeps its first date and is updated today, new content is published today.
 */
import { createHash } from 'node:crypto';
import type { ImageAsset } from './assets.ts';
import type { VersionDates } from '../types.ts';

/** What a build knows to date a version: the last publish's record of it, and today. */
export interface DatesInput {
  previous?: VersionDates;
  /** `YYYY-MM-DD`, UTC. */
  today: string;
}

/** The UTC day of `now`, `YYYY-MM-DD`. */
export const utcDay = (now = new Date()) => now.toISOString().slice(0, 10);

/** sha256 of the localized Markdown and the images of a version (each once, by name). */
export function contentHash(markdown: string, images: Iterable<ImageAsset>): string {
  const hash = createHash('sha256').update(markdown);
  const byName = new Map([...images].map((image) => [image.name, image.data]));
  for (const name of [...byName.keys()].sort()) hash.update(`\u0000${name}\u0000`).update(byName.get(name)!);
  return hash.digest('hex');
}

export function versionDates(input: DatesInput, sha256: string): VersionDates {
  const { previous, today } = input;
  if (!previous) return { sha256, published: today };
  if (previous.sha256 === sha256) return previous;
  return { sha256, published: previous.published, updated: today };
}
