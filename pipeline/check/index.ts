/** The check stage as the later stages see it: everything they may use, and nothing else. */
export { checkSourceContacts, protectedNames } from './contacts.ts';
export { collectLinks, definitionsOf } from './find.ts';
export { checkFragments } from './fragments.ts';
export { InsecureLinks, checkLinks } from './links.ts';
export { checkOnline, onlineTargets, type OnlineTargets, type ProbeOverrides } from './online.ts';
export { checkPlaceholders } from './placeholders.ts';
export { createReporter } from './report.ts';
export { checkSource, checkTranslations, isSafeUrl } from './safety.ts';
export { applySeverities } from './severity.ts';
export { ProjectIndex } from './targets.ts';
export { checkTranslation, compareTrees, sourceFacts } from './translation.ts';
