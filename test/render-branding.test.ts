import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ogs from 'open-graph-scraper';
import { Diagnostics, formatReport, PipelineError } from '../pipeline/diagnostics.ts';
import { loadConfig, resolveConfig } from '../pipeline/config.ts';
import { loadInterfaceStrings } from '../pipeline/render/strings.ts';
import { shareMetadata } from '../pipeline/render/share-metadata.ts';
import { renderShell } from '../pipeline/render/template.ts';
import { contrastRatio } from '../pipeline/render/settings.ts';
import { checkProject } from '../pipeline/commands/check.ts';
import { attributes, brandProject, build, fixtureProject, read, TEST_LOGO } from './render-support.ts';
import { copyOfRepository, makeProject, repoRoot, runCli } from './helpers.ts';

const run = (command: string, args: string[]) => execFileSync(command, args, { encoding: 'utf8' });
/** xmllint's exit code and verdict, which it prints on stderr. */
const xmllint = (args: string[]) => {
  const result = spawnSync('xmllint', args, { encoding: 'utf8' });
  return `${result.status} ${result.stderr}`;
};

const page = (locale: string) => `${locale}/press-release/index.html`;

/** The findings of loading the config in `root`, as printed. */
async function configErrors(root: string): Promise<string> {
  try {
    await loadConfig(root);
    return '';
  } catch (caught) {
    if (!(caught instanceof PipelineError)) throw caught;
    return formatReport(caught.files, root);
  }
}

describe('the organisation on every page', () => {
  it('shows the logo, name, accent colour, boilerplate, press contact and profile links on statement pages, indexes and the chooser', async () => {
    const root = await fixtureProject();
    await brandProject(root);
    const report = await build(root);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    expect(await read(root, 'logo.svg')).toBe(TEST_LOGO);
    const [statement, index, chooser] = await Promise.all([read(root, page('nl')), read(root, 'nl/index.html'), read(root, 'index.html')]);
    for (const html of [statement, index]) {
      expect(html).toMatch(
        /<a class="site-name" href="[^"]*"><img class="logo" src="(\.\.\/)+logo\.svg" alt="" height="32"><span class="organisation">Lydis<\/span>/,
      );
      expect(html).toMatch(/<link rel="icon" type="image\/svg\+xml" href="(\.\.\/)+logo\.svg">/);
      expect(html).toContain(':root{--accent:#7a1f5c}</style>');
      expect(html).toContain('<h2 id="about-nl">Over Lydis</h2><p>Lydis verdeelt communicatieapparatuur in België en Nederland.</p>');
      expect(html).toContain('<a href="https://www.linkedin.com/company/lydis" rel="me">LinkedIn</a>');
    }
    // The index shows the default press contact; the statement page its own contact, so the footer leaves the default out only when they are the same.
    expect(index).toContain(
      'Press office<br>E-mail: <a href="mailto:press@lydis.example">press@lydis.example</a><br>Telefoon: <a href="tel:+3225550100">+32 2 555 01 00</a>',
    );
    expect(statement).toContain('<a href="mailto:press@lydis.example">');
    // The chooser: every published language in its own words, each linking its index, the boilerplate in each.
    expect(chooser).toContain(
      '<span lang="nl">Kies uw taal</span> · <span lang="fr">Choisissez votre langue</span> · <span lang="en">Choose your language</span>',
    );
    for (const [locale, about] of [
      ['nl', 'Over Lydis'],
      ['fr', 'À propos de Lydis'],
      ['en', 'About Lydis'],
    ])
      expect(chooser).toContain(`<section class="about" aria-labelledby="about-${locale}" lang="${locale}"><h2 id="about-${locale}">${about}</h2>`);
    expect(attributes(chooser, 'a', 'href')).toEqual(expect.arrayContaining(['nl/index.html', 'fr/index.html', 'en/index.html']));
    expect(chooser).toContain('<img class="logo" src="logo.svg" alt="" height="48">Lydis</h1>');
  });

  it('formats dates in each language’s convention (16 september 2023, 16 septembre 2023) and in the configured formatting locale', async () => {
    const root = await fixtureProject();
    await brandProject(root, { formatLocales: { en: 'en-US' } });
    await build(root);
    expect(await read(root, page('nl'))).toContain('<time datetime="2023-09-16">16 september 2023</time>');
    expect(await read(root, page('fr'))).toContain('<time datetime="2023-09-16">16 septembre 2023</time>');
    // Configured: English in the American form.
    expect(await read(root, page('en'))).toContain('<time datetime="2023-09-16">September 16, 2023</time>');
  });
});

describe('share metadata', () => {
  it('gives each statement page Open Graph, Twitter card and NewsArticle JSON-LD that a metadata scraper reads back', async () => {
    const root = await fixtureProject();
    await brandProject(root);
    await build(root);
    const { result } = await ogs({ html: await read(root, page('nl')) });
    expect(result).toMatchObject({
      ogType: 'article',
      ogSiteName: 'Lydis',
      ogTitle: 'Beveiligingsupdate voor onze bureautelefoons',
      ogDescription: 'Wat er gebeurde, en wat we eraan deden: één overzicht.',
      ogUrl: 'https://press.example.com/nl/press-release/index.html',
      ogLocale: 'nl_BE',
      twitterCard: 'summary_large_image',
      twitterTitle: 'Beveiligingsupdate voor onze bureautelefoons',
      articlePublishedTime: '2023-09-16',
      articleModifiedTime: '2023-09-16',
    });
    // The statement's first image, beside the page, as the card's image.
    expect(result.ogImage?.[0]?.url).toBe('https://press.example.com/nl/press-release/phone.png');
    expect(result.twitterImage?.[0]?.url).toBe('https://press.example.com/nl/press-release/phone.png');
    expect(attributes(await read(root, page('nl')), 'meta', 'content')).toEqual(expect.arrayContaining(['fr_BE', 'en_GB']));

    const [article] = result.jsonLD as Array<Record<string, unknown>>;
    // Google's NewsArticle properties, and the language versions as one work.
    for (const property of ['headline', 'image', 'datePublished', 'dateModified', 'author', 'publisher', 'inLanguage'])
      expect(article, property).toHaveProperty(property);
    expect(article).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Beveiligingsupdate voor onze bureautelefoons',
      inLanguage: 'nl',
      datePublished: '2023-09-16',
      image: ['https://press.example.com/nl/press-release/phone.png'],
      publisher: { '@type': 'Organization', name: 'Lydis', logo: { '@type': 'ImageObject', url: 'https://press.example.com/logo.svg' } },
      translationOfWork: { '@type': 'NewsArticle', inLanguage: 'en', '@id': 'https://press.example.com/en/press-release/index.html' },
    });
    const { result: source } = await ogs({ html: await read(root, page('en')) });
    expect((source.jsonLD as Array<Record<string, unknown>>)[0]!.workTranslation).toEqual([
      { '@type': 'NewsArticle', inLanguage: 'nl', '@id': 'https://press.example.com/nl/press-release/index.html' },
      { '@type': 'NewsArticle', inLanguage: 'fr', '@id': 'https://press.example.com/fr/press-release/index.html' },
    ]);
  });

  it('leaves out every absolute-URL field without site.baseUrl, and check says so once', async () => {
    const root = await fixtureProject();
    await brandProject(root, { baseUrl: undefined });
    await build(root);
    const html = await read(root, 'nl/earlier-statement/index.html');
    const { result } = await ogs({ html });
    expect(result.ogTitle).toBeTruthy();
    expect(result).not.toHaveProperty('ogImage');
    expect(html).not.toMatch(/property="og:(url|image)"|name="twitter:image"/);
    expect(html).not.toContain('rel="canonical"');
    expect(html).not.toMatch(/https?:\/\/press/);
    expect(JSON.stringify(result.jsonLD)).not.toMatch(/"(@id|url|image|logo)"/);
    const report = await checkProject(await loadConfig(root));
    const said = formatReport(report.diagnostics.files, root)
      .split('\n')
      .filter((line) => line.includes('site-base-url'));
    expect(said).toEqual([expect.stringMatching(/^statements\.config\.json {2}info {2}Missing `site\.baseUrl`: pages go without canonical URLs/)]);
  });

  it('keeps a hostile title inside the JSON-LD script', async () => {
    const title = 'Titre</script><script>alert(1)</script><!--';
    const strings = await loadInterfaceStrings(resolveConfig({}, await fixtureProject()), new Diagnostics('/'));
    const brand = { site: resolveConfig({ site: { baseUrl: 'https://press.example.com/' } }).site };
    const versions = [{ locale: 'fr', path: 'fr/x/' }];
    const meta = shareMetadata({
      brand,
      strings,
      locale: 'fr',
      sourceLocale: 'fr',
      title,
      published: '2024-01-01',
      modified: '2024-01-01',
      path: 'fr/x/',
      versions,
    });
    const html = renderShell({ locale: 'fr', strings, links: 'file', path: 'fr/x/', title, alternates: versions, xDefault: 'fr/x/', brand, meta, main: [] });
    // The script element ends where the JSON ends: the title cannot close it early.
    const script = /<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)![1]!;
    expect(JSON.parse(script).headline).toBe(title);
    const { result } = await ogs({ html });
    expect((result.jsonLD as Array<Record<string, unknown>>)[0]!.headline).toBe(title);
  });
});

describe('the site section of the config', () => {
  it('refuses an accent colour below WCAG AA contrast, with the measured ratio at its place', async () => {
    const root = await fixtureProject();
    await brandProject(root, { accentColor: '#7fb2e5' });
    expect(await configErrors(root)).toMatch(
      /^statements\.config\.json:6:5 {2}error {2}Unexpected `site\.accentColor` `#7fb2e5` with a contrast of 2\.\d\d:1 on the (white|light grey) background, expected at least 4\.5:1 \(WCAG AA\)/m,
    );
    expect(contrastRatio('#7fb2e5', '#ffffff')).toBeLessThan(4.5);
    // A dark enough colour passes; the default is AA too.
    await brandProject(root, { accentColor: '#0b4f9c' });
    expect(await configErrors(root)).toBe('');
  });

  it('refuses a logo outside the image folders and an SVG that is not one, and builds the site without it', async () => {
    const root = await fixtureProject();
    await brandProject(root, { logo: 'statements.config.json.svg' });
    await writeFile(path.join(root, 'statements.config.json.svg'), TEST_LOGO);
    const outside = await build(root);
    expect(formatReport(outside.diagnostics.files, root)).toMatch(
      /^statements\.config\.json:5:5 {2}error {2}Unexpected image `statements\.config\.json\.svg` outside the image folders .*\(`site\.logo`\) {2}image-outside$/m,
    );
    expect(await read(root, page('nl'))).not.toContain('logo.svg');

    await brandProject(root);
    await writeFile(path.join(root, 'statements', 'images', 'logo.svg'), '<!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>');
    const unsafe = await build(root);
    expect(formatReport(unsafe.diagnostics.files, root)).toMatch(/statements\.config\.json:5:5 {2}error {2}Unexpected .* in SVG image .*unsafe-image/);
  });

  it('rejects a bad name, logo type, contact, profile link or formatting locale at its place', async () => {
    const root = await fixtureProject();
    await brandProject(root, {
      name: '',
      logo: 'logo.gif',
      contact: { email: 'nobody' },
      social: { X: 'x.com/lydis' },
      formatLocales: { nl: 'xx-not-a-locale' },
    });
    const printed = await configErrors(root);
    for (const expected of [
      /:4:5 {2}error {2}Unexpected `site\.name`/,
      /:5:5 {2}error {2}Unexpected `site\.logo`, expected the path of an SVG or PNG file/,
      /:8:7 {2}error {2}Unexpected `site\.contact\.email` `nobody`/,
      /:10:5 {2}error {2}Unexpected `site\.social`/,
      /:14:7 {2}error {2}Unexpected `site\.formatLocales\.nl`/,
    ])
      expect(printed).toMatch(expected);
  });
});

describe('PDFs as a press office sends them', () => {
  const pdf = (root: string, locale: string, slug = 'press-release') => path.join(root, 'dist', locale, slug, `${slug}-${locale}.pdf`);
  const pages = (file: string) => run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']).split('\f');

  it('have a letterhead, the boilerplate and contact at the end, footers with page number and URL, and the organisation as author and producer', async () => {
    const root = await fixtureProject();
    await brandProject(root);
    await build(root);
    const file = pdf(root, 'nl');
    const text = pages(file);
    // Page 1 opens with the organisation, above the title.
    expect(text[0]!.trim().split('\n')[0]!.trim()).toBe('Lydis');
    expect(text[0]!.indexOf('Lydis')).toBeLessThan(text[0]!.indexOf('Beveiligingsupdate'));
    const last = text.filter((page) => page.trim()).at(-1)!;
    expect(last).toMatch(/Over Lydis\s+Lydis verdeelt communicatieapparatuur in België en Nederland\.\s+Perscontact\s+Gijsbert Zijlstra/);
    const count = text.filter((page) => page.trim()).length;
    text.slice(0, count).forEach((page, index) => {
      expect(page).toMatch(new RegExp(`https://press\\.example\\.com/nl/press-release/index\\.html +Pagina ${index + 1} van ${count}`));
    });
    const info = run('pdfinfo', [file]);
    expect(info).toMatch(/^Author: +Lydis$/m);
    expect(info).toMatch(/^Producer: +Lydis$/m);
    expect(run('pdfinfo', ['-url', file])).toContain('https://press.example.com/nl/press-release/index.html');
    // French dates and page numbers in the French PDF.
    expect(pages(pdf(root, 'fr')).join('')).toMatch(/Publié le 16 septembre 2023[^]*Page 1 sur/);
  });

  it('print the signature once: the contact block leaves out the lines the signature already gives', async () => {
    const root = await copyOfRepository();
    await build(root);
    const text = pages(pdf(root, 'nl', 'lydis-statement-follow-the-money')).join('');
    expect(text.match(/Gijsbert Zijlstra/g)).toHaveLength(1);
    expect(text.match(/gijsbert\.zijlstra@lydis\.com/g)).toHaveLength(1);
    expect(text).toMatch(/Namens het Lydis-team,\s+Gijsbert Zijlstra\s+Technisch directeur\s+gijsbert\.zijlstra@lydis\.com/);
    expect(text).toContain('Over Lydis');
    expect(run('pdfinfo', [pdf(root, 'nl', 'lydis-statement-follow-the-money')])).toMatch(/^Author: +Lydis$/m);
  });
});

describe('discovery', () => {
  it('writes a sitemap valid against the sitemap schema, with hreflang alternates for published versions only, and a robots.txt pointing to it', async () => {
    const root = await fixtureProject();
    await brandProject(root);
    // A pseudo-locale is built for previewing, never published: it must not be in the sitemap.
    const config = JSON.parse(await read(root, '../statements.config.json')) as Record<string, unknown>;
    await writeFile(path.join(root, 'statements.config.json'), JSON.stringify({ ...config, translation: { pseudoLocale: 'en-XA' } }));
    await runCli(['extract'], root);
    await build(root);
    expect(await read(root, 'en-XA/press-release/index.html')).toBeTruthy();
    const sitemap = path.join(root, 'dist', 'sitemap.xml');
    // The schema the `sitemap` package ships, with the xhtml:link element its strict wildcard demands.
    const schemas = await makeProject({
      'sitemap-alternates.xsd': `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/1999/xhtml" elementFormDefault="qualified">
  <xs:import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="${pathToFileURL(path.join(repoRoot, 'node_modules', 'sitemap', 'schema', 'sitemap.xsd')).href}"/>
  <xs:element name="link">
    <xs:complexType>
      <xs:attribute name="rel" type="xs:string" use="required" fixed="alternate"/>
      <xs:attribute name="hreflang" type="xs:language" use="required"/>
      <xs:attribute name="href" type="xs:anyURI" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
`,
    });
    expect(xmllint(['--noout', '--nonet', '--schema', path.join(schemas, 'sitemap-alternates.xsd'), sitemap])).toBe(`0 ${sitemap} validates\n`);

    // Every published page, each with every published version of it (itself included), nothing else.
    const xml = await readFile(sitemap, 'utf8');
    const urls = [...xml.matchAll(/<url>([^]*?)<\/url>/g)].map(([, body]) => ({
      loc: /<loc>(.*?)<\/loc>/.exec(body!)![1]!,
      alternates: [...body!.matchAll(/<xhtml:link rel="alternate" hreflang="([^"]+)" href="([^"]+)"\/>/g)].map(([, lang, href]) => `${lang} ${href}`),
    }));
    const base = 'https://press.example.com/';
    const statements = ['earlier-statement', 'press-release'];
    const expected = [
      '',
      ...['nl', 'fr', 'en'].map((lng) => `${lng}/`),
      ...statements.flatMap((slug) => ['nl', 'fr', 'en'].map((lng) => `${lng}/${slug}/`)),
    ].map((page) => `${base}${page}index.html`);
    expect(urls.map((url) => url.loc).sort()).toEqual(expected.sort());
    for (const slug of statements)
      for (const url of urls.filter((candidate) => candidate.loc.includes(`/${slug}/`)))
        expect(url.alternates).toEqual(['nl', 'fr', 'en'].map((lng) => `${lng} ${base}${lng}/${slug}/index.html`));
    expect(xml).not.toContain('en-XA');
    expect(await read(root, 'robots.txt')).toBe('User-agent: *\nAllow: /\n\nSitemap: https://press.example.com/sitemap.xml\n');
    // Each page's head links its language's Atom feed.
    expect(await read(root, page('nl'))).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Persberichten (Atom-feed)" href="https://press.example.com/nl/feed.xml">',
    );
  });

  it('writes no sitemap or robots.txt without site.baseUrl', async () => {
    const root = await fixtureProject();
    await brandProject(root, { baseUrl: undefined });
    const report = await build(root);
    expect(report.site).not.toContain('sitemap.xml');
    expect(report.site).not.toContain('robots.txt');
  });
});
