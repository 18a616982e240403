/**
 * The one place that knows every kind of target; each kind is loaded only
 * when used, so a local publish never loads the AWS SDK.
 */
import type { TargetSpec } from './settings.ts';
import type { Target } from './target.ts';

/** Open the target a spec describes; a bucket's last manifest is kept in `cacheDir` when given (manifest-copy.ts). */
export async function openTarget(spec: TargetSpec, options: { concurrency: number; timeout: number; publicUrl?: string; cacheDir?: string }): Promise<Target> {
  if (spec.kind === 'local') {
    const { LocalTarget } = await import('./local.ts');
    return new LocalTarget(spec, options.publicUrl);
  }
  const [{ S3Target }, { ManifestCopy }] = await Promise.all([import('./s3.ts'), import('./manifest-copy.ts')]);
  return new S3Target(spec, { ...options, manifestCopy: options.cacheDir ? ManifestCopy.of(options.cacheDir, spec) : undefined });
}
