/**
 * statement-pipeline, the library. A statement goes through these stages,
 * each a folder whose index.ts is what the later stages may use:
 *
 *   project      statements, bundles and state on disk: read with limits, written all or nothing
 *   parse        statements/<slug>.md → mdast tree + front matter, depth-checked first
 *   extract      tree → keyed segments → locales/<lng>/<slug>.json
 *   translation  translators' tools: memory, pseudo-locale, variants, review states
 *   reassemble   tree + bundle (i18next, fallback chain) → localized tree and Markdown
 *   check        source + localized trees → findings; the one place severity is decided
 *   render       localized tree → HTML page, PDF, sanitized images, site indexes
 *   publish      dist/ → folder or S3-compatible bucket
 *   xliff        exchange with CAT tools
 *   commands     what the CLI runs, each through one statement runner (commands/statements.ts)
 *
 * Findings are vfile messages (diagnostics.ts); the library never exits the
 * process: the CLI turns findings into exit codes.
 */
export { loadConfig, resolveConfig, type UserConfig, type ResolvedConfig } from './config.ts';
export { parseStatement, parseMarkdown } from './parse/parse.ts';
export { collectSegments } from './extract/segment.ts';
export { encodeInline, decodeInline } from './extract/inline.ts';
export { assignKeys } from './extract/keys.ts';
export { extractSegments, mergeCatalog } from './extract/extract.ts';
export { localizedMarkdown, reassemble } from './reassemble/reassemble.ts';
export { TranslationResolver } from './reassemble/resolve.ts';
export { headingIds } from './parse/heading-ids.ts';
export { Diagnostics, formatReport, toJson, PipelineError } from './diagnostics.ts';

export { extractProject } from './commands/extract.ts';
export { buildProject } from './commands/build.ts';
export { statusProject } from './commands/status.ts';
export { checkProject } from './commands/check.ts';
export { publishProject } from './commands/publish.ts';
export { exportXliff, importXliff } from './commands/xliff.ts';

export type * from './types.ts';
