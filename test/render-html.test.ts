import { describe, expect, it, vi } from 'vitest';
import { readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { formatReport } from '../pipeline/diagnostics.ts';
import { resolveConfig } from '../pipeline/config.ts';
import { buildProject } from '../pipeline/commands/build.ts';
import { SiteManifest, type StatementRecord } from '../pipeline/render/index.ts';
import { unified } from 'unified';
import remarkRehype from 'remark-rehype';
import rehypeStringify from 'rehype-stringify';
import { visit } from 'unist-util-visit';
import { parseMarkdown } from '../pipeline/parse/parse.ts';
import { copyOfRepository, makeProject } from './helpers.ts';
import { attributes, build, distFiles, fixtureProject, read } from './render-support.ts';

const slug = 'press-release';
const page = (locale: string, name = slug) => `${locale}/${name}/index.html`;

describe('the rendered site', () => {
  it('writes page, PDF, Markdown and images of every statement × locale and the indexes at their public URLs', async () => {
    const root = await fixtureProject();
    const report = await build(root);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    const files = await distFiles(root);
    for (const locale of ['nl', 'fr', 'en']) {
      for (const name of [slug, 'earlier-statement']) {
        expect(files).toEqual(
          expect.arrayContaining([page(locale, name), `${locale}/${name}/${name}-${locale}.pdf`, `${locale}/${name}/${name}-${locale}.md`]),
        );
      }
      expect(files).toEqual(expect.arrayContaining([`${locale}/index.html`, `${locale}/feed.xml`, `${locale}/${slug}/phone.png`]));
      const image = await readFile(path.join(root, 'dist', locale, slug, 'phone.png'));
      expect(image.equals(await readFile(path.join(root, 'statements', 'images', 'phone.png')))).toBe(true);
    }
    expect(files).toContain('index.html');
    expect(report.documents).toHaveLength(6);
  });

  it('gives each page its language, title, description, canonical URL and hreflang alternates with x-default', async () => {
    const root = await fixtureProject();
    await build(root);
    const html = await read(root, page('nl'));
    const nl = JSON.parse(await readFile(path.join(root, 'locales', 'nl', `${slug}.json`), 'utf8')) as Record<string, string>;
    expect(html.startsWith('<!doctype html><html lang="nl">')).toBe(true);
    expect(html).toContain(`<title>${nl['meta.title']} · Persberichten</title>`);
    expect(attributes(html, 'meta', 'content')).toContain(nl['meta.summary']);
    expect(html).toContain('<link rel="canonical" href="https://press.example.com/nl/press-release/index.html">');
    for (const locale of ['nl', 'fr', 'en'])
      expect(html).toContain(`<link rel="alternate" hreflang="${locale}" href="https://press.example.com/${locale}/press-release/index.html">`);
    expect(html).toContain('<link rel="alternate" hreflang="x-default" href="https://press.example.com/en/press-release/index.html">');
    // Self-contained: no script (JSON-LD is data), no external stylesheet or font.
    expect(html).not.toMatch(/<script(?! type="application\/ld\+json">)|<link rel="stylesheet"|@import|@font-face|url\(/);
  });

  it('links the language switcher to the same statement in the other languages, each labelled in its own language', async () => {
    const root = await fixtureProject();
    await build(root);
    const html = await read(root, page('en'));
    const nav = /<nav class="languages"[^>]*>.*?<\/nav>/s.exec(html)![0];
    expect(nav).toContain('<a href="../../nl/press-release/index.html" hreflang="nl" lang="nl">Nederlands</a>');
    expect(nav).toContain('<a href="../../fr/press-release/index.html" hreflang="fr" lang="fr">Français</a>');
    expect(nav).not.toContain('hreflang="en"');
  });

  it('formats the date for the locale (English as en-GB) and takes interface strings and footnote labels from common.json', async () => {
    const root = await fixtureProject();
    await build(root);
    const [nl, fr, en] = await Promise.all(['nl', 'fr', 'en'].map((locale) => read(root, page(locale))));
    expect(nl).toContain('Gepubliceerd op <time datetime="2023-09-16">16 september 2023</time>');
    expect(fr).toContain('Publié le <time datetime="2023-09-16">16 septembre 2023</time>');
    // English in the British form unless `site.formatLocales` says otherwise.
    expect(en).toContain('Published on <time datetime="2023-09-16">16 September 2023</time>');
    expect(nl).toContain('<a href="press-release-nl.pdf" type="application/pdf" hreflang="nl">Pdf downloaden</a>');
    expect(fr).toContain('>Télécharger le PDF</a>');
    expect(nl).toContain('<h2 id="footnote-label">Voetnoten</h2>');
    expect(nl).toContain('aria-label="Terug naar verwijzing 1"');
    expect(fr).toContain('aria-label="Retour à l’appel de note 1"');
  });

  it('gives headings the id of their source heading in every language, so fragment links work everywhere', async () => {
    const root = await fixtureProject();
    await build(root);
    for (const locale of ['nl', 'fr', 'en']) {
      const html = await read(root, page(locale));
      expect(attributes(html, 'h2', 'id').filter((id) => id !== 'footnote-label' && id !== 'statement-contact')).toEqual(['what-happened', 'our-response']);
      expect(attributes(html, 'a', 'href')).toContain('#what-happened');
    }
    expect(await read(root, page('fr'))).toContain('<h2 id="what-happened">Ce qui s’est passé</h2>');
  });

  it('keeps footnote links working after sanitizing: every fragment link has its target id', async () => {
    const root = await fixtureProject();
    await build(root);
    const html = await read(root, page('fr'));
    const ids = new Set(attributes(html, '[a-z0-9]+', 'id'));
    const fragments = attributes(html, 'a', 'href').filter((href) => href.startsWith('#'));
    expect(fragments).toEqual(expect.arrayContaining(['#user-content-fn-source', '#user-content-fnref-source', '#what-happened']));
    for (const fragment of fragments) expect(ids, fragment).toContain(fragment.slice(1));
    expect(html).not.toContain('user-content-user-content');
  });

  it('never gives a heading the id of the page shell, the contact block or a footnote', async () => {
    const root = await makeProject({
      'statements/ids.md': `---\ntitle: Ids\ndate: "2024-03-01"\nlang: en\ncontact:\n  name: A. Person\n  email: a@example.com\n---\n\n# Main\n\nText with a note.[^1]\n\n## User content fn 1\n\n## Footnote label\n\n## Statement contact\n\n[^1]: The note.\n`,
    });
    await buildProject(resolveConfig({ locales: ['en'] }, root));
    const html = await read(root, 'en/ids/index.html');
    const ids = attributes(html, '[a-z0-9]+', 'id');
    expect(new Set(ids).size).toBe(ids.length);
    expect(attributes(html, 'h[1-6]', 'id')).toEqual(
      expect.arrayContaining(['main-1', 'heading-user-content-fn-1', 'footnote-label-1', 'statement-contact-1']),
    );
    // The footnote reference still jumps to the footnote, the skip link to <main>.
    expect(html).toMatch(/<li id="user-content-fn-1">/);
    expect(html).toMatch(/<main id="main">/);
  });

  it('points relative links between statements to the same language and images to their copy beside the page', async () => {
    const root = await fixtureProject();
    await build(root);
    const nl = await read(root, page('nl'));
    expect(nl).toContain('<a href="../earlier-statement/index.html">onze eerdere verklaring</a>');
    expect(nl).toContain('<img src="phone.png" alt="Een bureautelefoon">');
    expect(nl).toContain('<a href="tel:+31301234567">onze persdienst</a>');
    expect(nl).toContain('<a href="mailto:press@lydis.example">press@lydis.example</a>');
  });

  it('lists each language’s statements newest first with date and summary, and writes an Atom feed', async () => {
    const root = await fixtureProject();
    await build(root);
    const index = await read(root, 'fr/index.html');
    const titles = [...index.matchAll(/<h2><a href="([^"]+)">([^<]+)<\/a><\/h2>/g)].map((match) => [match[1], match[2]]);
    expect(titles).toEqual([
      ['press-release/index.html', 'Mise à jour de sécurité de nos téléphones de bureau'],
      ['earlier-statement/index.html', 'Notre engagement envers la sécurité'],
    ]);
    expect(index).toContain('<time datetime="2023-06-01">1 juin 2023</time>');
    expect(index).toContain('<p>Comment nous traitons les signalements de vulnérabilités.</p>');
    const feed = await read(root, 'fr/feed.xml');
    expect(feed).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">');
    expect(feed).toContain('<id>https://press.example.com/fr/press-release/</id>');
    expect(feed).toContain('<link rel="alternate" type="text/html" href="https://press.example.com/fr/press-release/index.html"/>');
    expect(feed).toContain('<link rel="enclosure" type="application/pdf" href="https://press.example.com/fr/press-release/press-release-fr.pdf"/>');
    const chooser = await read(root, 'index.html');
    for (const [locale, name] of [
      ['nl', 'Nederlands'],
      ['fr', 'Français'],
      ['en', 'English'],
    ]) {
      expect(chooser).toContain(`<a href="${locale}/index.html" hreflang="${locale}">${name}`);
      expect(chooser).toContain(`<link rel="alternate" hreflang="${locale}" href="https://press.example.com/${locale}/index.html">`);
    }
  });

  it('reports a missing image with its position and publishes nothing of that statement', async () => {
    const root = await fixtureProject();
    await rm(path.join(root, 'statements', 'images', 'phone.png'));
    const report = await build(root);
    expect(formatReport(report.diagnostics.files, root)).toContain(
      'statements/press-release.md:18:1  error  Missing image `images/phone.png`: no file `statements/images/phone.png`  missing-image',
    );
    expect(report.failed).toBe(3);
    const files = await distFiles(root);
    expect(files.filter((file) => file.includes('press-release/'))).toEqual([]);
    expect(files).toContain(page('nl', 'earlier-statement'));
  });

  it('reports a missing interface string on its common.json with a position', async () => {
    const root = await fixtureProject();
    const file = path.join(root, 'locales', 'nl', 'common.json');
    const strings = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    delete strings['statement.downloadPdf'];
    await writeFile(file, JSON.stringify(strings, null, 2));
    const report = await build(root);
    expect(formatReport(report.diagnostics.files, root)).toContain(
      'locales/nl/common.json:1:1  error  Missing interface string `statement.downloadPdf` in `locales/nl/common.json`, expected a translation of `Download PDF`  missing-common-string',
    );
  });

  it('reserves the slug `common` for the interface strings', async () => {
    const root = await fixtureProject();
    await writeFile(path.join(root, 'statements', 'common.md'), '---\ntitle: Common\ndate: "2024-01-01"\n---\n\nText.\n');
    const report = await build(root);
    expect(formatReport(report.diagnostics.files, root)).toContain('statements/common.md:1:1  error  Reserved slug `common`');
  });

  it('rebuilds only the statement × locale whose locale file changed, still listing the others on the indexes', async () => {
    const root = await fixtureProject();
    const steps: Array<[number, number]> = [];
    expect((await build(root, { onDocument: (done, total) => steps.push([done, total]) })).documents).toHaveLength(6);
    expect(steps.at(-1)).toEqual([6, 6]);
    expect(steps.map(([done]) => done)).toEqual([1, 2, 3, 4, 5, 6]);
    const again = await build(root);
    expect([again.documents.length, again.unchanged]).toEqual([0, 6]);
    const file = path.join(root, 'locales', 'fr', `${slug}.json`);
    const bundle = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    bundle['meta.title'] = 'Mise à jour de sécurité : nos téléphones';
    await writeFile(file, JSON.stringify(bundle, null, 2));
    const third = await build(root);
    expect(third.documents.map((document) => `${document.slug}/${document.locale}`)).toEqual([`${slug}/fr`]);
    expect(third.unchanged).toBe(5);
    expect(await read(root, 'fr/index.html')).toContain('Mise à jour de sécurité : nos téléphones');
    expect(await read(root, 'fr/index.html')).toContain('Notre engagement envers la sécurité');
    expect(await read(root, 'nl/index.html')).toContain('Onze inzet voor beveiliging');
    expect((await build(root, { force: true })).documents).toHaveLength(6);
  });
});

describe('sanitizing', () => {
  it('publishes no script, handler or dangerous URL from a malicious translation or statement, and reports each', async () => {
    const root = await fixtureProject();
    const nlFile = path.join(root, 'locales', 'nl', `${slug}.json`);
    const nl = JSON.parse(await readFile(nlFile, 'utf8')) as Record<string, string>;
    nl['our-response'] = 'Onze reactie<script>alert(1)</script>';
    await writeFile(nlFile, JSON.stringify(nl, null, 2));
    const frFile = path.join(root, 'locales', 'fr', 'earlier-statement.json');
    const fr = JSON.parse(await readFile(frFile, 'utf8')) as Record<string, string>;
    fr['meta.title'] = 'Notre engagement <img src=x onerror=alert(1)>';
    fr['intro.we-take-every-report'] = 'Cliquez <a href="javascript:alert(1)">ici</a> et <iframe src="data:text/html;base64,PHNjcmlwdD4="></iframe>.';
    await writeFile(frFile, JSON.stringify(fr, null, 2));
    await writeFile(
      path.join(root, 'statements', 'hostile.md'),
      '---\ntitle: Hostile\ndate: "2024-01-01"\n---\n\nA [link](javascript:alert(1)) here.\n\n<iframe src="https://evil.example"></iframe>\n\n<img src="x" onerror="alert(1)">\n',
    );
    const report = await build(root);
    const text = formatReport(report.diagnostics.files, root);
    expect(text).toMatch(
      /locales\/nl\/press-release\.json:\d+:\d+ {2}error {2}Unexpected `<script` in the translation of `our-response`.* {2}unsafe-translation/,
    );
    expect(text).toMatch(/locales\/fr\/earlier-statement\.json:\d+:\d+ {2}error {2}Unexpected `onerror=` in the translation of `meta.title`/);
    expect(text).toContain('statements/hostile.md:6:3  error  Unexpected URL `javascript:alert(1)`');
    expect(text).toContain('statements/hostile.md:8:1  error  Unexpected `<iframe` in raw HTML');
    expect(text).toContain('statements/hostile.md:10:1  error  Unexpected `onerror=` in raw HTML');
    const files = await distFiles(root);
    for (const file of files.filter((name) => !name.endsWith('.png'))) {
      const content = await readFile(path.join(root, 'dist', file), 'latin1');
      expect(content, file).not.toMatch(/<script(?! type="application\/ld\+json">)|<\/script>(?!<style>)|<iframe|onerror|javascript:|data:text/i);
    }
    expect(files.filter((file) => file.startsWith('nl/press-release/') || file.startsWith('fr/earlier-statement/') || file.includes('hostile'))).toEqual([]);
    // The clean documents are still published.
    expect(files).toEqual(expect.arrayContaining([page('fr'), page('nl', 'earlier-statement')]));
  });
});

describe('the first real statement', () => {
  it('renders in nl, fr and en with its translated title, date, contact and alternates', async () => {
    const root = await copyOfRepository();
    const report = await build(root);
    expect(report.diagnostics.count().errors).toBe(0);
    const real = 'lydis-statement-follow-the-money';
    const titles = new Set<string>();
    for (const locale of ['nl', 'fr', 'en']) {
      const html = await read(root, page(locale, real));
      const bundle = JSON.parse(await readFile(path.join(root, 'locales', locale, `${real}.json`), 'utf8')) as Record<string, string>;
      const title = bundle['meta.title'] || JSON.parse(await readFile(path.join(root, 'locales', 'en', `${real}.json`), 'utf8'))['meta.title'];
      titles.add(title);
      expect(html).toContain(`<html lang="${locale}">`);
      expect(html).toContain(`<h1>${title}</h1>`);
      expect([...html.matchAll(/<h1\b/g)]).toHaveLength(1);
      expect(html).toContain('<time datetime="2023-09-18">');
      expect(html).toContain('<a href="mailto:gijsbert.zijlstra@lydis.com">gijsbert.zijlstra@lydis.com</a>');
      expect(attributes(html, 'link', 'hreflang').sort()).toEqual(['en', 'fr', 'nl', 'x-default']);
      expect(
        attributes(html, 'a', 'hreflang')
          .filter((lng) => lng !== locale)
          .sort(),
      ).toEqual(['en', 'fr', 'nl'].filter((lng) => lng !== locale));
      expect(html).toContain(`href="${real}-${locale}.pdf"`);
      expect(await read(root, `${locale}/index.html`)).toContain(`href="${real}/index.html"`);
    }
    expect(titles.size).toBe(3);
  });
});

describe('the site manifest', () => {
  it('lists pages in one order however the statements came in, as when read back: site pages are not rendered again for the order', async () => {
    const root = await makeProject({});
    const cacheDir = path.join(root, '.cache');
    const record = (slug: string): StatementRecord => ({ images: [], pages: { en: { slug, locale: 'en', title: slug, date: '2024-01-01' } } });
    const built = await SiteManifest.open(cacheDir, root);
    // As threads hand back their statements: the worker's after this thread's, whatever their slugs.
    built.replace(['b', 'a'], { b: record('b'), a: record('a') });
    await built.save();
    const readBack = await SiteManifest.open(cacheDir, root);
    expect(built.entries().map((entry) => entry.slug)).toEqual(['a', 'b']);
    expect(built.entries()).toEqual(readBack.entries());
  });
});

describe('the tree walks as patched (patches/unist-util-visit-parents+6.1.0.patch, patches/mdast-util-to-hast+13.2.2.patch)', () => {
  it('visits every node in document order without naming a visitor for each', () => {
    const tree = parseMarkdown('# A\n\n> b *c*\n\n- d\n');
    const defineProperty = vi.spyOn(Object, 'defineProperty');
    const seen: string[] = [];
    visit(tree, (node) => {
      seen.push(node.type);
    });
    const named = defineProperty.mock.calls.length;
    defineProperty.mockRestore();
    // A name per node (a property and a string) was most of every walk, and a third of rendering a page.
    expect(named).toBe(0);
    expect(seen).toEqual(['root', 'heading', 'text', 'blockquote', 'paragraph', 'text', 'emphasis', 'text', 'list', 'listItem', 'paragraph', 'text']);
  });

  it('finds link and footnote definitions inside containers, the first of a label (in any case) winning', () => {
    const markdown = '> [A]: https://first.example\n\n- [a]: https://second.example\n\n[x][a] [y][A] [^n]\n\n- > [^N]: note\n';
    const toHtml = unified().use(remarkRehype).use(rehypeStringify);
    const html = toHtml.stringify(toHtml.runSync(parseMarkdown(markdown)));
    expect([...html.matchAll(/<a href="([^"]+)"/g)].map(([, href]) => href)).toEqual([
      'https://first.example',
      'https://first.example',
      '#user-content-fn-n',
      '#user-content-fnref-n',
    ]);
    expect(html).toContain('note');
  });
});
