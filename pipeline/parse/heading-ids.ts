/**
 * Heading ids are derived from the source heading, never from its
 * translation, so `#what-happened` works on every language's page.
 */
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import type { Heading, Root } from 'mdast';
import { visit } from 'unist-util-visit';

/**
 * Ids the page has besides headings: the shell's `main` (the skip link's
 * target), the contact block's heading, and remark-rehype's footnote ids.
 * A heading never takes one, or the link meant for it would jump elsewhere.
 */
const SHELL_IDS = ['main', 'statement-contact', 'footnote-label'];
const FOOTNOTE_ID = /^user-content-/;

/**
 * The id of every heading of the (source) tree, in document order, slugged
 * as GitHub does, duplicates numbered (`faq`, `faq-1`), ids of the page
 * shell and footnotes numbered or prefixed away (`main-1`, `heading-user-content-fn-1`).
 */
export function headingIds(sourceTree: Root): string[] {
  const slugger = new GithubSlugger();
  for (const id of SHELL_IDS) slugger.slug(id);
  const ids: string[] = [];
  visit(sourceTree, 'heading', (node: Heading) => {
    const id = slugger.slug(toString(node));
    ids.push(FOOTNOTE_ID.test(id) ? slugger.slug(`heading-${id}`) : id);
  });
  return ids;
}
