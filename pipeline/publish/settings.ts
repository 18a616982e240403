/**
 * Where and how `publish` uploads: the `publish` section a user may write in
 * `statements.config.json`, the environment variables that override it, the
 * command-line flags that override both, and the one resolved shape the
 * publish stage accepts. Credentials are never part of it: the S3 client
 * reads them from the SDK's standard provider chain.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, isInside } from '../paths.ts';
import { PublishError } from './errors.ts';
import type { RetryOptions } from './retry.ts';

/** What a user may write under `publish` in `statements.config.json`. */
export interface PublishConfig {
  /** `s3://bucket/prefix` or a folder. Default `public` (a local folder laid out like the bucket). */
  target?: string;
  /** S3-compatible endpoint such as `https://s3.fr-par.scw.cloud`. Default: AWS. */
  endpoint?: string;
  /** Default: the SDK's region chain (`AWS_REGION`, profile), else `us-east-1` with a custom endpoint. */
  region?: string;
  /** Path-style addressing (`endpoint/bucket/key`), needed by MinIO and most self-hosted stores. Default false. */
  pathStyle?: boolean;
  /** Uploads in flight at once. Default 8. */
  concurrency?: number;
  /** Base URL the published prefix is served from, for the summary. Default: derived from the target. */
  publicUrl?: string;
  /** Remove objects an earlier publish wrote (its manifest lists them) that the build no longer produces; others are never touched. Default false. */
  delete?: boolean;
  /** Retries per request for throttling, 5xx and network resets. Default 5. */
  retries?: number;
  /** Milliseconds a single request may take. Default 30000. */
  timeout?: number;
}

/** A bucket and a key prefix on an S3-compatible store. */
export interface S3TargetSpec {
  kind: 's3';
  bucket: string;
  /** Empty, or ends with `/`. */
  prefix: string;
  endpoint?: string;
  region?: string;
  pathStyle: boolean;
}

/** A folder laid out exactly as the bucket would be. */
export interface LocalTargetSpec {
  kind: 'local';
  /** Absolute path. */
  dir: string;
}

export type TargetSpec = S3TargetSpec | LocalTargetSpec;

/** The shape the publish stage accepts: every default filled in and validated. */
export interface PublishSettings {
  target: TargetSpec;
  concurrency: number;
  publicUrl?: string;
  delete: boolean;
  retry: RetryOptions;
  timeout: number;
}

/** Command-line values; each wins over the environment and the config file. */
export type PublishOverrides = PublishConfig;

/** Environment variable for each setting. */
export const ENVIRONMENT: Record<keyof PublishConfig, string> = {
  target: 'STATEMENTS_PUBLISH_TARGET',
  endpoint: 'STATEMENTS_PUBLISH_ENDPOINT',
  region: 'STATEMENTS_PUBLISH_REGION',
  pathStyle: 'STATEMENTS_PUBLISH_PATH_STYLE',
  concurrency: 'STATEMENTS_PUBLISH_CONCURRENCY',
  publicUrl: 'STATEMENTS_PUBLISH_PUBLIC_URL',
  delete: 'STATEMENTS_PUBLISH_DELETE',
  retries: 'STATEMENTS_PUBLISH_RETRIES',
  timeout: 'STATEMENTS_PUBLISH_TIMEOUT',
};

const FLAGS: Record<keyof PublishConfig, string> = {
  target: '--target',
  endpoint: '--endpoint',
  region: '--region',
  pathStyle: '--path-style',
  concurrency: '--concurrency',
  publicUrl: '--public-url',
  delete: '--delete',
  retries: '--retries',
  timeout: '--timeout',
};

const NUMBERS = new Set<keyof PublishConfig>(['concurrency', 'retries', 'timeout']);
const BOOLEANS = new Set<keyof PublishConfig>(['pathStyle', 'delete']);

/** Report problems with a `publish` section as written in the config file, one sentence each. */
export function validatePublish(value: unknown, fail: (reason: string) => void): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return fail('Unexpected `publish`, expected an object such as `{"target": "s3://bucket/prefix"}`');
  for (const [field, setting] of Object.entries(value)) {
    const name = field as keyof PublishConfig;
    if (!(field in FLAGS)) {
      fail(
        `Unexpected \`publish.${field}\`, expected one of ${Object.keys(FLAGS)
          .map((key) => `\`${key}\``)
          .join(', ')}`,
      );
    } else if (
      NUMBERS.has(name)
        ? !Number.isInteger(setting) || (setting as number) < (name === 'retries' ? 0 : 1)
        : BOOLEANS.has(name)
          ? typeof setting !== 'boolean'
          : typeof setting !== 'string'
    ) {
      const expected = NUMBERS.has(name) ? `a whole number of at least ${name === 'retries' ? 0 : 1}` : BOOLEANS.has(name) ? '`true` or `false`' : 'a string';
      fail(`Unexpected \`publish.${field}\`, expected ${expected}`);
    }
  }
}

type Origin = { value: unknown; from: string };

/** The folders a local target must stay clear of, and the settings as written. */
export interface PublishProject {
  root: string;
  outDir: string;
  statementsDir: string;
  localesDir: string;
  cacheDir: string;
  assetsDir?: string;
  publish?: PublishConfig;
  site?: { baseUrl?: string };
}

/**
 * Resolve publish settings: flags over environment over config file over
 * defaults. A bad value throws a PublishError naming where it came from.
 */
export function resolvePublishSettings(config: PublishProject, overrides: PublishOverrides = {}, env: NodeJS.ProcessEnv = process.env): PublishSettings {
  const pick = (field: keyof PublishConfig): Origin | undefined => {
    if (overrides[field] !== undefined) return { value: overrides[field], from: FLAGS[field] };
    const raw = env[ENVIRONMENT[field]];
    if (raw !== undefined && raw !== '') return { value: fromEnvironment(field, raw), from: ENVIRONMENT[field] };
    if (config.publish?.[field] !== undefined) return { value: config.publish[field], from: `\`publish.${field}\` in statements.config.json` };
    return undefined;
  };
  const text = (field: keyof PublishConfig) => pick(field)?.value as string | undefined;
  const whole = (field: keyof PublishConfig, fallback: number, min: number) => {
    const origin = pick(field);
    if (!origin) return fallback;
    if (!Number.isInteger(origin.value) || (origin.value as number) < min) {
      throw new PublishError(`Unexpected ${FLAGS[field].slice(2)} \`${String(origin.value)}\` from ${origin.from}, expected a whole number of at least ${min}`);
    }
    return origin.value as number;
  };

  const target = pick('target') ?? { value: 'public', from: 'the default' };
  const endpoint = pick('endpoint');
  const pathStyle = Boolean(pick('pathStyle')?.value);
  const spec = parseTarget(String(target.value), config.root, target.from);
  if (spec.kind === 's3') {
    if (endpoint) spec.endpoint = checkEndpoint(String(endpoint.value), endpoint.from);
    spec.region = text('region');
    spec.pathStyle = pathStyle;
  } else {
    spec.dir = checkLocalDir(String(target.value), config, target.from);
  }
  const publicUrl = text('publicUrl') ?? config.site?.baseUrl;
  return {
    target: spec,
    concurrency: whole('concurrency', 8, 1),
    publicUrl: publicUrl === undefined ? undefined : publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`,
    delete: Boolean(pick('delete')?.value),
    retry: { retries: whole('retries', 5, 0), baseDelay: 200, maxDelay: 10_000 },
    timeout: whole('timeout', 30_000, 1),
  };
}

function fromEnvironment(field: keyof PublishConfig, raw: string): unknown {
  if (NUMBERS.has(field)) return /^\d+$/.test(raw.trim()) ? Number(raw) : raw;
  if (BOOLEANS.has(field)) {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new PublishError(`Unexpected ${ENVIRONMENT[field]} \`${raw}\`, expected \`true\` or \`false\``);
  }
  return raw;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** `s3://bucket/prefix` → an S3 target; anything else is a folder relative to `root`. */
export function parseTarget(value: string, root: string, from = '--target'): TargetSpec {
  const match = /^s3:\/\/([^/]*)\/?(.*)$/i.exec(value.trim());
  if (!match) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
      throw new PublishError(`Unexpected target \`${value}\` from ${from}, expected \`s3://bucket/prefix\` or a folder such as \`public\``);
    }
    return { kind: 'local', dir: path.resolve(root, value) };
  }
  const bucket = match[1]!;
  if (!BUCKET.test(bucket) || bucket.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(bucket)) {
    throw new PublishError(
      `Invalid bucket name \`${bucket}\` in \`${value}\` from ${from}: use 3 to 63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit`,
    );
  }
  return { kind: 's3', bucket, prefix: normalizePrefix(match[2]!, value, from), pathStyle: false };
}

/** `a/b` → `a/b/`; refuses `..`, `.`, empty segments and control characters. */
export function normalizePrefix(raw: string, value = raw, from = '--target'): string {
  const trimmed = raw.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  const segments = trimmed.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment === '') || /[\\\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new PublishError(
      `Invalid prefix \`${raw}\` in \`${value}\` from ${from}: a prefix is folder names separated by \`/\`, without \`..\`, \`.\`, \`//\` or backslashes`,
    );
  }
  return `${trimmed}/`;
}

function checkEndpoint(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new PublishError(`Invalid endpoint \`${value}\` from ${from}: expected a URL such as \`https://s3.fr-par.scw.cloud\``);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PublishError(`Invalid endpoint \`${value}\` from ${from}: expected an \`http://\` or \`https://\` URL`);
  }
  if (url.username || url.password) {
    throw new PublishError(
      `Invalid endpoint from ${from}: it contains credentials; remove them and use the AWS credential chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, …)`,
    );
  }
  return value.replace(/\/+$/, '');
}

/**
 * A local target may not be the project, hold it, or overlap any of its
 * inputs: publishing there would overwrite or `--delete` source files, or
 * feed published copies back in as new statements. Paths are compared as the
 * file system resolves them, so a link such as `out -> locales` is caught.
 * Returns the target's real path, where the writes then go.
 */
function checkLocalDir(value: string, config: PublishProject, from: string): string {
  const real = (folder: string) => {
    try {
      return realPath(folder, config.root);
    } catch (error) {
      throw new PublishError(
        `Cannot resolve \`${folder}\` to check the target folder \`${value}\` from ${from} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); fix that path or publish to a folder such as \`public\``,
      );
    }
  };
  const dir = real(value.trim());
  const root = real(config.root);
  const lexical = path.resolve(config.root, value.trim());
  const linked = path.relative(root, dir) !== path.relative(path.resolve(config.root), lexical) ? ' through a symbolic link' : '';
  const refuse = (reason: string) => {
    const instead = isInside(lexical, path.resolve(config.root, 'public')) ? 'published' : 'public';
    return new PublishError(`Invalid target folder \`${value}\` from ${from}: it ${reason}${linked}; publish to a folder of its own such as \`${instead}\``);
  };
  if (isInside(root, dir)) throw refuse(dir === root ? 'is the project folder' : 'contains the project folder');
  const inputs: Array<[string, string | undefined]> = [
    ['statements folder', config.statementsDir],
    ['locales folder', config.localesDir],
    [`config file \`${CONFIG_FILE}\``, path.join(config.root, CONFIG_FILE)],
    ['cache folder', config.cacheDir],
    ['build folder', config.outDir],
    ['assets folder', config.assetsDir],
    ['Git folder `.git`', path.join(config.root, '.git')],
    ['dependencies folder `node_modules`', path.join(config.root, 'node_modules')],
  ];
  for (const [name, input] of inputs) {
    if (input === undefined) continue;
    const folder = real(input);
    const relation = dir === folder ? 'is' : isInside(dir, folder) ? 'lies inside' : isInside(folder, dir) ? 'contains' : undefined;
    if (relation) throw refuse(`${relation} the project's ${name}`);
  }
  return dir;
}

/**
 * The absolute path the file system reaches for `value` (relative to
 * `base`): links in the part that exists are followed, and `..` after a link
 * leads to the parent of the link's target, as it does for a write. The part
 * that does not exist yet cannot hold links and is appended as written.
 */
function realPath(value: string, base: string): string {
  const absolute = path.isAbsolute(value) ? value : `${base}${path.sep}${value}`;
  const { root } = path.parse(absolute);
  let current = root;
  for (const part of absolute.slice(root.length).split(path.sep)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    current = path.join(current, part);
    try {
      current = realpathSync.native(current);
    } catch (error) {
      if (!['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
  return current;
}
