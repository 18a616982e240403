/**
 * Hugo on the same localized pages: the Markdown of every statement × locale
 * as the build wrote it (`dist/<lng>/<slug>/<slug>-<lng>.md`) becomes a
 * multilingual Hugo site with one minimal page template, and `hugo` renders
 * it (reading, parsing Markdown, templating and writing every page: the whole
 * run, as a user would time it). Best of two runs.
 */
import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installed, NOT_INSTALLED } from './summary.ts';

export interface HugoRun {
  pages: number;
  ms: number;
}

const TEMPLATE = `<!doctype html>
<html lang="{{ .Lang }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title><meta name="description" content="{{ .Params.summary }}"></head>
<body><main><h1>{{ .Title }}</h1><p>{{ .Date.Format "2006-01-02" }}</p>{{ .Content }}</main></body>
</html>
`;

/** The localized Markdown files of the build in `distDir`, by locale. */
async function localizedMarkdown(distDir: string): Promise<Array<{ locale: string; slug: string; file: string }>> {
  const found: Array<{ locale: string; slug: string; file: string }> = [];
  for (const locale of await readdir(distDir).catch(() => [])) {
    for (const slug of await readdir(path.join(distDir, locale)).catch(() => [])) {
      const file = path.join(distDir, locale, slug, `${slug}-${locale}.md`);
      found.push({ locale, slug, file });
    }
  }
  return found;
}

/** Render the build's localized pages with Hugo; a string when Hugo is absent or failed. */
export async function hugo(distDir: string): Promise<HugoRun | string> {
  if (!installed('hugo', ['version'])) return NOT_INSTALLED;
  const site = await mkdtemp(path.join(tmpdir(), 'statements-bench-hugo-'));
  try {
    const pages = await localizedMarkdown(distDir);
    const locales = [...new Set(pages.map((page) => page.locale))];
    let copied = 0;
    for (const locale of locales) await mkdir(path.join(site, 'content', locale), { recursive: true });
    for (const page of pages) {
      copied += await copyFile(page.file, path.join(site, 'content', page.locale, `${page.slug}.md`)).then(
        () => 1,
        () => 0,
      );
    }
    if (copied === 0) return 'no localized Markdown in the build';
    const languages = locales.map((locale, index) => `[languages.${locale}]\ncontentDir = "content/${locale}"\nweight = ${index + 1}\n`).join('');
    await writeFile(
      path.join(site, 'config.toml'),
      `baseURL = "https://press.example.com/"\ndefaultContentLanguage = "${locales.includes('en') ? 'en' : locales[0]}"\ndefaultContentLanguageInSubdir = true\n` +
        `disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", "home", "section"]\n${languages}`,
    );
    await mkdir(path.join(site, 'layouts', '_default'), { recursive: true });
    await writeFile(path.join(site, 'layouts', '_default', 'single.html'), TEMPLATE);
    let best = Infinity;
    for (let run = 0; run < 2; run++) {
      await rm(path.join(site, 'public'), { recursive: true, force: true });
      const started = performance.now();
      const result = spawnSync('hugo', ['--quiet', '--source', site, '--destination', path.join(site, 'public')], { encoding: 'utf8', timeout: 600_000 });
      const ms = performance.now() - started;
      if (result.status !== 0) return `failed (${(result.stderr || result.error?.message || '').split('\n')[0]})`;
      best = Math.min(best, ms);
    }
    return { pages: copied, ms: best };
  } finally {
    await rm(site, { recursive: true, force: true });
  }
}
