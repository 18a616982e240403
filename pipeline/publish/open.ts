/**
 * The one place that knows every kind of target; each kind is loaded only
 * when used, so a local publish never loads the AWS SDK.
 */
import type { TargetSpec } from './settings.ts';
import type { Target } from './target.ts';

/** Open the target a spec describes. */
export async function openTarget(spec: TargetSpec, options: { concurrency: number; timeout: number; publicUrl?: string }): Promise<Target> {
  if (spec.kind === 'local') {
    const { LocalTarget } = await import('./local.ts');
    return new LocalTarget(spec, options.publicUrl);
  }
  const { S3Target } = await import('./s3.ts');
  return new S3Target(spec, options);
}
