/** The project stage as the later stages see it: everything they may use, and nothing else. */
export {
  COMMON_NAMESPACE,
  bundlePath,
  bundlePlace,
  commonPath,
  emptyState,
  hashText,
  isStale,
  isStaleHash,
  readBundle,
  serializeBundle,
  statePath,
  translationRecord,
  writeCatalog,
  type BundleFile,
} from './bundle.ts';
export { HashCache, TOOL, type CacheEntry } from './cache.ts';
export { forbiddenCharacter } from './characters.ts';
export { IdentityMemo } from './identity-memo.ts';
export { isTempName, markWriting, readTextIfExists, whileWriting, stringifyJson, writeFileAtomic, writeIfChanged } from './fs.ts';
export { runInWorkers, tapFeed, workerCount, type Feed, type Progress, type WorkSize } from './pool.ts';
export {
  bundleOf,
  findStatements,
  isolate,
  readCatalog,
  openInputHashes,
  statementInputsKey,
  inputHashesKey,
  readInputHashes,
  readStatementText,
  UnreadInputs,
  type InputHashes,
  type Catalog,
  type StatementEntry,
  writtenFolders,
} from './project.ts';
export { block, serializeDocument, textNodes } from './xml.ts';
