/** The publish stage as the later stages see it: everything they may use, and nothing else. */
export { PublishError } from './errors.ts';
export { contentTypeOf } from './headers.ts';
export { executePlan, type ExecuteOptions, type ExecuteResult } from './execute.ts';
export { MANIFEST_KEY, parseManifest } from './manifest.ts';
export { openTarget } from './open.ts';
export { planPublish, type PublishPlan, type RemoteState } from './plan.ts';
export { isRetryable, withRetry, type RetryOptions } from './retry.ts';
export { resolvePublishSettings, type PublishOverrides, type PublishSettings } from './settings.ts';
export { currentKey, listFiles, scanSite, type SiteObject } from './site.ts';
export { type Target } from './target.ts';
