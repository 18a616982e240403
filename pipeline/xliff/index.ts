/** The xliff stage as the later stages see it: everything they may use, and nothing else. */
export { type XliffVersion } from './codes.ts';
export { exportUnits, wantsSuggestions } from './export.ts';
export { checkFile, emptyCounts, planFileImport, refuseLocale, unknownStatement, type ImportCounts, type ImportTarget } from './import.ts';
export { readXliff } from './read.ts';
export { writeXliff, type XliffFile } from './write.ts';
