/**
 * Every node of a tree, depth first, in document order. The walks that run
 * for every page and every PDF use this rather than unist-util-visit, whose
 * bookkeeping (parents, skip, exit, a named closure per node) was a third of
 * a page's rendering; nesting depth is bounded by `limits`.
 */
import type { Node, Parent } from 'unist';

export function eachNode(node: Node, callback: (node: Node) => void): void {
  callback(node);
  const { children } = node as Partial<Parent>;
  if (children) for (const child of children) eachNode(child, callback);
}
