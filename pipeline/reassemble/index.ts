/** The reassemble stage as the later stages see it: everything they may use, and nothing else. */
export { localizedMarkdown, reassemble } from './reassemble.ts';
export { TranslationResolver } from './resolve.ts';
