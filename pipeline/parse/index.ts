/** The parse stage as the later stages see it: everything they may use, and nothing else. */
export { loadStatement } from './cache.ts';
export { headingIds } from './heading-ids.ts';
export { isSlug, parseMarkdown } from './parse.ts';
