/**
 * Heading ids are derived from the source heading, never from its
 * translation, so `#what-happened` works on every language's page.
 */
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import type { Heading, Root } from 'mdast';
import { visit } from 'unist-util-visit';

/**
 * The id of every heading of the (source) tree, in document order, slugged
 * as GitHub does, duplicates numbered (`faq`, `faq-1`).
 */
export function headingIds(sourceTree: Root): string[] {
  const slugger = new GithubSlugger();
  const ids: string[] = [];
  visit(sourceTree, 'heading', (node: Heading) => {
    ids.push(slugger.slug(toString(node)));
  });
  return ids;
}
