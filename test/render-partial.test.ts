/**
 * Partial versions (`translation.minTranslated` below 100, `--force`, or a
 * preview build): every segment that fell back to the source says its real
 * language — `lang` on its HTML element, a structure element with `/Lang` in
 * the tagged PDF — and the page says, in the reader's language, that parts
 * are not translated yet.
 */
import { execFileSync } from 'node:child_process';
import { cp, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';
import { build, fixtureProject, read } from './render-support.ts';

let root: string;

beforeAll(async () => {
  root = await fixtureProject('readiness');
  // The readiness fixture has no common.json: the interface strings of this repository, nl and fr included.
  for (const locale of ['nl', 'fr', 'en']) await cp(path.join(repoRoot, 'locales', locale, 'common.json'), path.join(root, 'locales', locale, 'common.json'));
  const report = await build(root, { slugs: ['half'] });
  expect(report.versions.filter((version) => version.withheld)).toEqual([]);
});

/** The elements of `html` carrying `lang="…"`, as `tag:lang`. */
const marked = (html: string) => [...html.replace(/<html[^>]*>/, '').matchAll(/<(\w+)\b[^>]*\slang="([^"]+)"/g)].map((match) => `${match[1]}:${match[2]}`);

describe('a partial version', () => {
  it('marks every block shown in the source language with lang="en" and leaves the translated ones unmarked', async () => {
    const html = await read(root, 'nl/half/index.html');
    const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    expect(marked(main)).toEqual(['span:en', 'p:en', 'h2:en', 'p:en', 'p:en']);
    expect(main).toContain('<h1>Acme neemt twintig ingenieurs aan</h1>');
    expect(main).toContain('<p lang="en">Acme hires twenty engineers for its new office.</p>');
  });

  it('says in the reader’s language that parts are not translated yet, naming the source language in its own', async () => {
    const html = await read(root, 'nl/half/index.html');
    expect(html).toContain(
      '<p class="partial" role="note">Delen van deze verklaring zijn nog niet vertaald en staan in de oorspronkelijke taal (<span lang="en">English</span>).</p>',
    );
    expect(await read(root, 'fr/half/index.html')).not.toContain('class="partial"');
  });

  it('tags each fallback block of the PDF with /Lang (en) and prints the notice', async () => {
    const file = path.join(root, 'dist', 'nl', 'half', 'half-nl.pdf');
    const bytes = (await readFile(file)).toString('latin1');
    expect(bytes.match(/\/Lang \(en\)/g)).toHaveLength(4);
    expect(bytes).toContain('/Lang (nl)');
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Delen van deze verklaring zijn nog niet vertaald en staan in de oorspronkelijke taal (English).');
    const complete = (await readFile(path.join(root, 'dist', 'fr', 'half', 'half-fr.pdf'))).toString('latin1');
    expect(complete).not.toMatch(/\/Lang \(en\)/);
  });
});
