/**
 * Images are untrusted: hostile projects whose statements point at files
 * outside the project, at links leading out, at pipes, at files that are no
 * image, and at SVG documents that carry scripts. Nothing of them may reach
 * `dist/` or a publish target, each is a positioned error or warning on the
 * statement, and the valid statement beside them is still built.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, realpath, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../pipeline/config.ts';
import { buildProject, type BuildReport } from '../../pipeline/commands/build.ts';
import { publishProject } from '../../pipeline/commands/publish.ts';
import { contentTypeOf } from '../../pipeline/publish/headers.ts';
import { formatReport } from '../../pipeline/diagnostics.ts';
import { sanitizeSvg } from '../../pipeline/render/svg.ts';
import { fixtures, makeProject } from '../helpers.ts';

const svgFixtures = path.join(fixtures, 'security', 'svg');
const imageFixtures = path.join(fixtures, 'security', 'assets-images');
const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** A statement whose only image is on line 9, column 1. */
const statement = (title: string, image?: string) =>
  `---\ntitle: "${title}"\ndate: "2024-03-01"\nlang: en\n---\n\nWe publish this statement today.\n\n${image ? `![${title}](${image})` : 'No image.'}\n`;

/** Every file below `dir` as `[relative path, bytes]`. */
async function filesBelow(dir: string): Promise<Array<[string, Buffer]>> {
  const names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  return Promise.all(
    names.map(
      async (entry) =>
        [path.relative(dir, path.join(entry.parentPath, entry.name)), await readFile(path.join(entry.parentPath, entry.name))] as [string, Buffer],
    ),
  );
}

/** The built files of statement `slug`. */
const builtFiles = async (root: string, slug: string) =>
  (await filesBelow(path.join(root, 'dist'))).map(([name]) => name).filter((name) => name.startsWith(`en${path.sep}${slug}${path.sep}`));

const lines = (report: BuildReport, root: string) => formatReport(report.diagnostics.files, root).split('\n');

describe('images are read only from inside the project’s image folders', () => {
  let root: string;
  let outside: string;
  let report: BuildReport;
  // Values that exist only outside the project: found under dist/ they would be a leak.
  const secret = `outside-secret-${process.pid}-${Date.now()}`;
  const envValue = `env-secret-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    process.env.STATEMENTS_TEST_SECRET = envValue;
    outside = await mkdtemp(path.join(tmpdir(), 'statements-outside-'));
    // A real PNG signature, so that only the folder check can refuse it.
    const png = await readFile(path.join(imageFixtures, 'logo.png'));
    await writeFile(path.join(outside, 'secret.png'), Buffer.concat([png, Buffer.from(secret)]));
    root = await makeProject({
      'statements.config.json': JSON.stringify({ locales: ['en'], assetsDir: 'assets', limits: { assetBytes: 8192 } }),
      'statements/good.md': statement('Good'),
      'statements/traversal.md': statement('Traversal', `../../${path.basename(outside)}/secret.png`),
      'statements/absolute.md': statement('Absolute', path.join(outside, 'secret.png')),
      'statements/passwd.md': statement('Passwd', 'passwd.png'),
      'statements/linked-out.md': statement('Linked out', 'linked-secret.png'),
      'statements/environ.md': statement('Environ', 'env.svg'),
      'statements/pipe.md': statement('Pipe', 'pipe.png'),
      'statements/text.md': statement('Text', 'notes.png'),
      'statements/disguised.md': statement('Disguised', 'chart.png'),
      'statements/big.md': statement('Big', 'big.png'),
      'statements/shared-logo.md': statement('Shared logo', '../assets/logo.png'),
      'statements/linked-logo.md': statement('Linked logo', 'logo-link.png'),
      'statements/formats.md': `${statement('Formats', 'pixel.gif')}\n![WebP](pixel.webp)\n\n![AVIF](ftyp-only.avif)\n`,
      'statements/notes.png': 'root:x:0:0:root:/root:/bin/bash\nThis is text, not a picture.\n',
    });
    // `makeProject` writes strings as UTF-8: binary files are written here. A PNG signature, then too many bytes.
    await writeFile(path.join(root, 'statements', 'big.png'), Buffer.concat([png.subarray(0, 8), Buffer.alloc(9000)]));
    await copyFile(path.join(imageFixtures, 'pixel.gif'), path.join(root, 'statements', 'chart.png'));
    for (const name of ['pixel.gif', 'pixel.webp', 'ftyp-only.avif']) await copyFile(path.join(imageFixtures, name), path.join(root, 'statements', name));
    await mkdir(path.join(root, 'assets'));
    await copyFile(path.join(imageFixtures, 'logo.png'), path.join(root, 'assets', 'logo.png'));
    await symlink(path.join(root, 'assets', 'logo.png'), path.join(root, 'statements', 'logo-link.png'));
    await symlink('/etc/passwd', path.join(root, 'statements', 'passwd.png'));
    await symlink(path.join(outside, 'secret.png'), path.join(root, 'statements', 'linked-secret.png'));
    await symlink('/proc/self/environ', path.join(root, 'statements', 'env.svg'));
    expect(spawnSync('mkfifo', [path.join(root, 'statements', 'pipe.png')]).status).toBe(0);
    report = await buildProject(await loadConfig(root));
  });

  afterAll(() => {
    delete process.env.STATEMENTS_TEST_SECRET;
  });

  it('builds the valid statement beside the hostile ones', async () => {
    expect(await builtFiles(root, 'good')).toContain(path.join('en', 'good', 'index.html'));
  });

  it('copies no byte from outside the project into dist/: no outside file, no /etc/passwd, no environment', async () => {
    const passwd = await readFile('/etc/passwd');
    for (const [name, data] of await filesBelow(path.join(root, 'dist'))) {
      expect(data.includes(secret), name).toBe(false);
      expect(data.includes(envValue), name).toBe(false);
      expect(data.includes(passwd.subarray(0, 32)), name).toBe(false);
      expect(data.includes('root:x:0:0'), name).toBe(false);
    }
    for (const slug of ['traversal', 'absolute', 'passwd', 'linked-out', 'environ', 'pipe', 'text', 'disguised', 'big'])
      expect(await builtFiles(root, slug), slug).toEqual([]);
  });

  it('refuses an image path that leaves the statements folder with `../`, at the image’s position', () => {
    expect(lines(report, root)).toContain(
      `statements/traversal.md:9:1  error  Unexpected image \`../../${path.basename(outside)}/secret.png\` outside the image folders (\`${path.relative(root, path.join(outside, 'secret.png'))}\`), expected a file in \`statements/\` or \`assets/\`  image-outside`,
    );
  });

  it('refuses an absolute image path', () => {
    expect(lines(report, root)).toContain(
      `statements/absolute.md:9:1  error  Unexpected absolute image path \`${path.join(outside, 'secret.png')}\`, expected a path relative to the statement, to a file in \`statements/\` or \`assets/\`  image-outside`,
    );
  });

  it('refuses a link in the statements folder that leads to /etc/passwd', () => {
    expect(lines(report, root)).toContain(
      'statements/passwd.md:9:1  error  Unexpected image `passwd.png` linking to `/etc/passwd`, expected a file in `statements/` or `assets/`: nothing else is ever published  image-outside',
    );
  });

  it('refuses a link to a real image outside the project', async () => {
    expect(lines(report, root)).toContain(
      `statements/linked-out.md:9:1  error  Unexpected image \`linked-secret.png\` linking to \`${await realpath(path.join(outside, 'secret.png'))}\`, expected a file in \`statements/\` or \`assets/\`: nothing else is ever published  image-outside`,
    );
  });

  it('refuses a link to /proc/self/environ', () => {
    expect(lines(report, root).find((line) => line.startsWith('statements/environ.md:9:1  error  Unexpected image `env.svg` linking to `/proc/'))).toMatch(
      /\/environ`, .*image-outside$/,
    );
  });

  it('refuses a named pipe without opening it (the build does not hang)', () => {
    expect(lines(report, root)).toContain(
      'statements/pipe.md:9:1  error  Unexpected image `pipe.png` that is a named pipe, expected a regular file  image-not-file',
    );
  });

  it('refuses a .png file whose content is text', () => {
    expect(lines(report, root)).toContain(
      'statements/text.md:9:1  error  Unexpected content that is no image in image `notes.png`, expected PNG as its extension says  image-content',
    );
  });

  it('refuses a GIF named .png, naming the extension its content has', () => {
    expect(lines(report, root)).toContain(
      'statements/disguised.md:9:1  error  Unexpected GIF content in image `chart.png`, expected PNG as its extension says: rename it to `chart.gif`  image-content',
    );
  });

  it('refuses an image bigger than `limits.assetBytes`, naming the setting', () => {
    expect(lines(report, root)).toContain(
      'statements/big.md:9:1  error  Unexpected image `big.png` of 9008 bytes, expected at most 8192 (`limits.assetBytes` in `statements.config.json`)  image-size',
    );
  });

  it('accepts an image from the configured assets folder, directly or through a link inside the project', async () => {
    const logo = await readFile(path.join(imageFixtures, 'logo.png'));
    for (const [slug, name] of [
      ['shared-logo', 'logo.png'],
      ['linked-logo', 'logo-link.png'],
    ] as const) {
      expect(report.diagnostics.files.find((file) => file.path.endsWith(`${slug}.md`))?.messages ?? []).toEqual([]);
      expect((await readFile(path.join(root, 'dist', 'en', slug, name))).equals(logo)).toBe(true);
    }
  });

  it('accepts GIF, WebP and AVIF by their content and publishes each with its own content type', async () => {
    expect(report.diagnostics.files.find((file) => file.path.endsWith('formats.md'))?.messages ?? []).toEqual([]);
    const built = await builtFiles(root, 'formats');
    // The PDF shows these by their text alternative: pdfkit embeds PNG and JPEG only.
    expect(built).toEqual(
      expect.arrayContaining(['pixel.gif', 'pixel.webp', 'ftyp-only.avif', 'formats-en.pdf'].map((name) => path.join('en', 'formats', name))),
    );
    expect(['pixel.gif', 'pixel.webp', 'ftyp-only.avif'].map((name) => contentTypeOf(`en/formats/${name}`))).toEqual(['image/gif', 'image/webp', 'image/avif']);
  });

  it('publishes nothing of a refused image with `publish --force` either', async () => {
    const target = await mkdtemp(path.join(tmpdir(), 'statements-target-'));
    const published = await publishProject(await loadConfig(root), { force: true, check: false, env: {}, overrides: { target } });
    expect(published.gate.forced).toBe(true);
    const files = await filesBelow(target);
    expect(files.map(([name]) => name)).toContain(path.join('en', 'good', 'index.html'));
    for (const [name, data] of files) {
      expect(name).not.toMatch(/passwd|env\.svg|secret|linked-out|pipe|notes|big\.png|chart\.png/);
      expect(data.includes(secret) || data.includes(envValue) || data.includes('root:x:0:0'), name).toBe(false);
    }
  });
});

describe('SVG images are parsed, sanitized and published as sanitized', () => {
  const cases = [
    'script-prefixed',
    'script-plain',
    'onload',
    'foreign-object',
    'external-href',
    'entity',
    'inkscape-logo',
    'illustrator-chart',
    'matplotlib-chart',
  ];
  let root: string;
  let report: BuildReport;
  const published = (slug: string) => readFile(path.join(root, 'dist', 'en', slug, `${slug}.svg`), 'utf8');
  const messagesOf = (slug: string) => lines(report, root).filter((line) => line.startsWith(`statements/${slug}.md:`));

  beforeAll(async () => {
    root = await makeProject({
      'statements.config.json': JSON.stringify({ locales: ['en'] }),
      'statements/good.md': statement('Good'),
      'statements/not-svg.md': statement('Not SVG', 'not-svg.svg'),
      'statements/not-svg.svg': '<html xmlns="http://www.w3.org/1999/xhtml"><body onload="alert(1)"/></html>\n',
      ...Object.fromEntries(cases.map((slug) => [`statements/${slug}.md`, statement(slug, `${slug}.svg`)])),
    });
    for (const slug of cases) await copyFile(path.join(svgFixtures, `${slug}.svg`), path.join(root, 'statements', `${slug}.svg`));
    report = await buildProject(await loadConfig(root));
  });

  it('builds the valid statement beside the hostile SVGs', async () => {
    expect(await builtFiles(root, 'good')).toContain(path.join('en', 'good', 'index.html'));
  });

  it('removes a script whose element has a namespace prefix, and says so at the image', async () => {
    expect(messagesOf('script-prefixed')).toEqual([
      'statements/script-prefixed.md:9:1  warning  Removed `<s:script>` (3:3) from SVG image `script-prefixed.svg`: scripts, event handlers and external references are never published  svg-sanitized',
    ]);
    const svg = await published('script-prefixed');
    expect(svg).not.toMatch(/script|alert/);
    expect(svg).toContain(`<svg xmlns="${SVG_NAMESPACE}" viewBox="0 0 10 10">`);
    expect(svg).toContain('<rect width="10" height="10" fill="#c00"/>');
  });

  it('removes a plain <script> with its CDATA', async () => {
    expect(messagesOf('script-plain')).toEqual([expect.stringContaining('warning  Removed `<script>` (4:3) from SVG image `script-plain.svg`')]);
    expect(await published('script-plain')).not.toMatch(/script|alert|CDATA/);
  });

  it('removes onload and other event handler attributes', async () => {
    expect(messagesOf('onload')).toEqual([
      expect.stringContaining('Removed `onload` on `<svg>` (1:1), `onmouseover` on `<circle>` (2:3) from SVG image `onload.svg`'),
    ]);
    const svg = await published('onload');
    expect(svg).not.toMatch(/\son\w+=|alert/);
    expect(svg).toContain('<circle cx="5" cy="5" r="4"/>');
  });

  it('removes <foreignObject> and the HTML inside it', async () => {
    expect(messagesOf('foreign-object')).toEqual([expect.stringContaining('Removed `<foreignObject>` (3:3) from SVG image `foreign-object.svg`')]);
    expect(await published('foreign-object')).not.toMatch(/foreignObject|iframe|javascript/);
  });

  it('removes external and javascript: references and data: images, keeps local #fragment references', async () => {
    expect(messagesOf('external-href')).toEqual([
      expect.stringContaining(
        'Removed `xlink:href` to `https://tracker.example/sprite.svg#logo` on `<use>` (3:3), `xlink:href` to `javascript:alert(1)` on `<a>` (5:3), `<image>` (6:3) from SVG image `external-href.svg`',
      ),
    ]);
    const svg = await published('external-href');
    expect(svg).not.toMatch(/tracker\.example|javascript:|data:|<image/);
    expect(svg).toContain('<use href="#dot"/>');
  });

  it('refuses an SVG whose DOCTYPE declares an external entity (XXE), at the place in the SVG, and builds nothing of it', async () => {
    expect(messagesOf('entity')).toEqual([
      "statements/entity.md:9:1  error  Unexpected XML (Named entity isn't defined: &secret;) in SVG image `entity.svg` at 5:47, expected a well-formed SVG file  unsafe-image",
    ]);
    expect(await builtFiles(root, 'entity')).toEqual([]);
  });

  it('refuses a document whose root is not <svg> in the SVG namespace', async () => {
    expect(messagesOf('not-svg')).toEqual([
      `statements/not-svg.md:9:1  error  Unexpected root \`<html>\` in namespace \`http://www.w3.org/1999/xhtml\` in SVG image \`not-svg.svg\` at 1:1, expected \`<svg xmlns="${SVG_NAMESPACE}">\`  unsafe-image`,
    ]);
    expect(await builtFiles(root, 'not-svg')).toEqual([]);
  });

  it('accepts Inkscape, Illustrator and matplotlib exports without a warning and keeps their drawing', async () => {
    for (const slug of ['inkscape-logo', 'illustrator-chart', 'matplotlib-chart']) expect(messagesOf(slug), slug).toEqual([]);
    const inkscape = await published('inkscape-logo');
    expect(inkscape).toContain(
      '<linearGradient xlink:href="#linearGradient1873" id="linearGradient1875" x1="4" y1="16" x2="28" y2="16" gradientUnits="userSpaceOnUse"/>',
    );
    expect(inkscape).toContain('d="m 16.5,44.25 h 20 l 4,12 -4,12 h -20 l -4,-12 z"');
    expect(inkscape).toContain('>Lydis</tspan></text>');
    // Editor data goes; it is never rendered.
    expect(inkscape).not.toMatch(/sodipodi|inkscape:|rdf:/);
    const illustrator = await published('illustrator-chart');
    for (const part of [
      '<title>Reports handled per quarter</title>',
      '.st0{fill:url(#SVGID_1_);}',
      '<radialGradient id="SVGID_2_"',
      '<clipPath id="SVGID_4_">',
      '<mask maskUnits="userSpaceOnUse"',
      '<use xlink:href="#q1" transform="translate(80 0) scale(1 1.5)"/>',
      '<tspan x="-12" y="14" class="st3 st4">2023</tspan>',
      'xml:space="preserve"',
    ]) {
      expect(illustrator).toContain(part);
    }
    const matplotlib = await published('matplotlib-chart');
    expect(matplotlib).not.toContain('DOCTYPE');
    expect(matplotlib).toContain('<use xlink:href="#m0ac8b3e5e1" x="167.04" y="307.584" style="stroke: #000000; stroke-width: 0.8"/>');
    expect(matplotlib).toContain('clip-path="url(#p8f5c1e2a3b)"');
  });

  it('drops a <style> that imports or loads a URL and any attribute that loads one, keeps fragment url()s', () => {
    const result = sanitizeSvg(
      Buffer.from(
        `<svg xmlns="${SVG_NAMESPACE}"><style>@import url(https://evil.example/x.css);</style><style>.a{fill:url( "#g" )}</style>` +
          `<rect fill="url(https://evil.example/p.svg#x)" style="fill:u\\72l(x)"/><rect style="fill:url('#g')"/></svg>`,
      ),
    );
    expect(result.ok && result.removed).toEqual([
      '`<style>` with `@import` (1:41)',
      '`fill` with `url(https://evil.example/p.svg#x)` on `<rect>` (1:131)',
      '`style` with a CSS escape on `<rect>` (1:131)',
    ]);
    expect(result.ok && result.data.toString()).toBe(
      `<svg xmlns="${SVG_NAMESPACE}"><style>.a{fill:url( "#g" )}</style><rect/><rect style="fill:url('#g')"/></svg>\n`,
    );
  });

  it('refuses any DOCTYPE but the standard SVG one, which is dropped: no DTD is ever read', () => {
    const svg = `<svg xmlns="${SVG_NAMESPACE}"/>`;
    expect(sanitizeSvg(Buffer.from(`<!DOCTYPE svg [<!ENTITY a "b">]>\n${svg}`))).toMatchObject({
      ok: false,
      unexpected: '`<!DOCTYPE>` with declarations',
      place: { line: 1, column: 1 },
    });
    expect(sanitizeSvg(Buffer.from(`<!DOCTYPE svg SYSTEM "file:///etc/passwd">\n${svg}`))).toMatchObject({ ok: false, unexpected: '`<!DOCTYPE svg>`' });
    const standard = sanitizeSvg(Buffer.from(`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n${svg}`));
    expect(standard.ok && standard.data.toString()).toBe(`${svg}\n`);
  });

  describe('in Chromium', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    /** Open an SVG file directly, as a reader following its URL would; dialogs are recorded and dismissed. */
    async function open(file: string) {
      const page = await browser.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(pathToFileURL(file).href);
      await page.waitForTimeout(200);
      const state = await page.evaluate(() => ({
        namespace: document.documentElement.namespaceURI,
        scripts: document.querySelectorAll('script').length,
        rects: document.querySelectorAll('rect').length,
      }));
      await page.close();
      return { dialogs, ...state };
    }

    it('runs the prefixed script of the original file, so the check below can fail', async () => {
      expect(await open(path.join(svgFixtures, 'script-prefixed.svg'))).toMatchObject({ dialogs: ['1'], scripts: 1 });
    });

    it('opens the published sanitized SVG as an SVG document: no dialog, no script element, the drawing intact', async () => {
      for (const slug of ['script-prefixed', 'script-plain', 'onload']) {
        const opened = await open(path.join(root, 'dist', 'en', slug, `${slug}.svg`));
        expect(opened, slug).toEqual({ dialogs: [], namespace: SVG_NAMESPACE, scripts: 0, rects: slug === 'onload' ? 0 : 1 });
      }
    });
  });
});
