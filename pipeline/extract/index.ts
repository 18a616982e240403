/** The extract stage as the later stages see it: everything they may use, and nothing else. */
export { extractSegments, mergeCatalog, planCatalogWrites, type MergeCounts, type MergedCatalog, type PlannedWrite } from './extract.ts';
export { decodeInline, escapeText, plainText, unescapeText } from './inline.ts';
export { collectSegments, placeSegment } from './segment.ts';
