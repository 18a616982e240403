import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { mkdir, stat } from 'node:fs/promises';
import { copyOfRepository, repoRoot } from './helpers.ts';
import { brandProject, build, fixtureProject } from './render-support.ts';
import { staticHost as serve, type StaticHost } from './support/static-host.ts';

let browser: Browser;
let context: BrowserContext;
let site: StaticHost;
let real: StaticHost;
let repository: string;
const outside: string[] = [];
/** Screenshots for people to look at (git-ignored). */
const output = path.join(repoRoot, 'test', 'output');

beforeAll(async () => {
  let fixture: string;
  [fixture, repository] = await Promise.all([fixtureProject(), copyOfRepository()]);
  // The fixture as an organisation's press room: logo, accent colour, boilerplate, contact, profile link.
  await brandProject(fixture);
  await build(fixture);
  await build(repository);
  [site, real] = await Promise.all([serve(path.join(fixture, 'dist')), serve(path.join(repository, 'dist'))]);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  context = await browser.newContext({ viewport: { width: 375, height: 740 } });
  // Nothing but the local server: a page that reaches out is recorded, and fails the test.
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => {
    outside.push(route.request().url());
    return route.abort();
  });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await real?.close();
});

describe('in a real browser', () => {
  it('follows the language switcher from the English page to the French and Dutch pages', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}en/press-release/`);
    expect(await page.locator('h1').textContent()).toBe('Security update on our desk phones');
    await page.locator('nav.languages a[hreflang="fr"]').click();
    await page.waitForURL(`${site.url}fr/press-release/index.html`);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('h1').textContent()).toBe('Mise à jour de sécurité de nos téléphones de bureau');
    expect(await page.locator('nav.languages a[hreflang="nl"]').textContent()).toBe('Nederlands');
    await page.locator('nav.languages a[hreflang="nl"]').click();
    await page.waitForURL(`${site.url}nl/press-release/index.html`);
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await page.locator('h1').textContent()).toBe('Beveiligingsupdate voor onze bureautelefoons');
    await page.close();
  });

  it('lands fragment and footnote links on their targets, and serves the PDF and image the page links to', async () => {
    const page = await context.newPage();
    await page.goto(`${site.url}fr/press-release/`);
    for (const href of ['#what-happened', '#user-content-fn-source']) {
      await page.locator(`main a[href="${href}"]`).first().click();
      expect(new URL(page.url()).hash).toBe(href);
      expect(await page.locator(href).count()).toBe(1);
    }
    expect(await page.locator('main img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(0);
    const pdf = await page.request.get(new URL((await page.locator('a[type="application/pdf"]').getAttribute('href'))!, page.url()).href);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const page = await context.newPage();
    for (const url of [`${site.url}nl/press-release/`, `${real.url}fr/lydis-statement-follow-the-money/`]) {
      await page.goto(url);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    }
    await page.close();
  });

  it('shows Lydis on the Dutch statement page at phone and desktop widths, and on page 1 of its PDF (screenshots in test/output)', async () => {
    await mkdir(output, { recursive: true });
    const page = await context.newPage();
    const url = `${real.url}nl/lydis-statement-follow-the-money/`;
    for (const [name, width, height] of [
      ['phone', 375, 740],
      ['desktop', 1280, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(url);
      expect(await page.locator('.site-header img.logo').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBeGreaterThan(0);
      expect(await page.locator('.site-header .organisation').textContent()).toBe('Lydis');
      expect(await page.locator('footer .about h2').textContent()).toBe('Over Lydis');
      // The configured accent colour is what links are drawn in.
      expect(
        await page
          .locator('main a')
          .first()
          .evaluate((link) => getComputedStyle(link).color),
      ).toBe('rgb(0, 85, 127)');
      await page.screenshot({ path: path.join(output, `nl-statement-${name}.png`), fullPage: true });
    }
    await page.close();
    const pdf = path.join(repository, 'dist', 'nl', 'lydis-statement-follow-the-money', 'lydis-statement-follow-the-money-nl.pdf');
    execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', pdf, path.join(output, 'nl-statement-pdf-page-1')]);
    for (const name of ['nl-statement-phone', 'nl-statement-desktop', 'nl-statement-pdf-page-1'])
      expect((await stat(path.join(output, `${name}.png`))).size, name).toBeGreaterThan(10_000);
  });

  it('has no WCAG 2.x A or AA violations on any page type, with an organisation’s logo and accent colour', async () => {
    // Each page type once (the languages share its template), and the first real statement.
    const pages = [site.url, `${site.url}nl/`, `${site.url}fr/press-release/`, `${real.url}nl/lydis-statement-follow-the-money/`];
    const page = await context.newPage();
    for (const url of pages) {
      await page.goto(url);
      const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
      const violations = result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      expect(violations, url).toEqual([]);
      expect(result.passes.length, url).toBeGreaterThan(0);
    }
    await page.close();
    expect(outside).toEqual([]);
  });
});
