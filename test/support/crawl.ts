/**
 * A crawler that meets the site as a reader does: from a start URL (`http:`
 * or `file:`) it opens every HTML page in real Chromium, takes every link and
 * resource the page names (anchors, `<link>` alternates and canonical, images),
 * reads the links of Atom feeds, and requests each URL inside the site once.
 * A URL is broken when it does not answer 200 with a file: a 404, a folder
 * (`file://` shows a listing, a bucket answers a `ListBucketResult`), or a
 * fragment of the same page with no element of that id.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromXml } from 'xast-util-from-xml';
import type { Root as XmlRoot, Element as XmlElement } from 'xast';
import type { BrowserContext } from 'playwright-core';

export interface BrokenLink {
  url: string;
  /** The page that links to it, or `printed` for a URL given to start from. */
  from: string;
  problem: string;
}

export interface CrawlResult {
  /** Every URL inside the site that was requested, without fragments, sorted. */
  visited: string[];
  broken: BrokenLink[];
}

export interface CrawlOptions {
  /** A browser context to open pages in (its routes apply). */
  context: BrowserContext;
  /** More URLs to check, such as those a command printed. */
  also?: string[];
  /** Only URLs starting with it are followed. Default the start URL's folder. */
  scope?: string;
}

interface Answer {
  problem?: string;
  type: 'html' | 'feed' | 'other';
  body?: string;
}

const LISTING = /<ListBucketResult\b|<title>Index of /i;

async function request(url: string): Promise<Answer> {
  if (url.startsWith('file:')) {
    const file = fileURLToPath(url);
    const info = await stat(file).catch(() => undefined);
    if (!info) return { problem: 'no such file', type: 'other' };
    if (info.isDirectory()) return { problem: 'a folder: the browser shows a listing', type: 'other' };
    const type = /\.html?$/.test(file) ? 'html' : path.basename(file) === 'feed.xml' ? 'feed' : 'other';
    return { type, body: type === 'other' ? undefined : await readFile(file, 'utf8') };
  }
  const response = await fetch(url, { redirect: 'manual' });
  const body = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  if (response.status !== 200) return { problem: `HTTP ${response.status}`, type: 'other' };
  if (LISTING.test(body.slice(0, 2000))) return { problem: 'a folder listing', type: 'other' };
  return { type: contentType.startsWith('text/html') ? 'html' : /atom\+xml/.test(contentType) ? 'feed' : 'other', body };
}

/** Links of an Atom feed: every `<link href>`. */
function feedLinks(xml: string, base: string): string[] {
  const links: string[] = [];
  const walk = (node: XmlRoot | XmlElement) => {
    for (const child of node.children) {
      if (child.type !== 'element') continue;
      if (child.name === 'link' && typeof child.attributes.href === 'string') links.push(new URL(child.attributes.href, base).href);
      walk(child);
    }
  };
  walk(fromXml(xml));
  return links;
}

/** Crawl the site from `start`; see the module comment for what counts as broken. */
export async function crawlSite(start: string, options: CrawlOptions): Promise<CrawlResult> {
  const scope = options.scope ?? new URL('./', start).href;
  const seen = new Set<string>();
  const broken: BrokenLink[] = [];
  const queue: Array<{ url: string; from: string }> = [{ url: start, from: 'start' }, ...(options.also ?? []).map((url) => ({ url, from: 'printed' }))];
  const page = await options.context.newPage();
  try {
    while (queue.length > 0) {
      const { url: link, from } = queue.shift()!;
      const url = link.split('#')[0]!;
      if (!url.startsWith(scope) || seen.has(url)) continue;
      seen.add(url);
      const answer = await request(url);
      if (answer.problem) {
        broken.push({ url, from, problem: answer.problem });
        continue;
      }
      let found: string[] = [];
      if (answer.type === 'feed') found = feedLinks(answer.body!, url);
      if (answer.type === 'html') {
        await page.goto(url);
        const links = await page.evaluate(() => {
          const urls = [...document.querySelectorAll<HTMLAnchorElement | HTMLLinkElement>('a[href], link[href]')].map((element) => element.href);
          urls.push(...[...document.querySelectorAll<HTMLImageElement>('img[src]')].map((image) => image.src));
          // Fragments of this very page must land on an element.
          const missing = urls
            .filter((href) => href.startsWith(`${location.href.split('#')[0]}#`))
            .filter((href) => !document.getElementById(decodeURIComponent(href.split('#')[1]!)));
          return { urls, missing };
        });
        found = links.urls;
        for (const href of links.missing) broken.push({ url: href, from: url, problem: 'no element with this id' });
      }
      queue.push(...found.map((href) => ({ url: href, from: url })));
    }
  } finally {
    await page.close();
  }
  return { visited: [...seen].sort(), broken };
}
