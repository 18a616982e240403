/**
 * One config, two types: what a user may write in `statements.config.json`
 * (everything optional) and the resolved shape the stages accept.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Point } from 'unist';
import { VFile } from 'vfile';
import { locateJson, parseJsonFile } from './json.ts';
import { CONFIG_FILE, isInside } from './paths.ts';
import { PipelineError } from './diagnostics.ts';
import type { Locale } from './types.ts';
import { resolveChecks, validateChecks, type ResolvedChecks, type UserChecks } from './check/settings.ts';
import { resolveTranslation, validateTranslation, withPseudoLocale, type ResolvedTranslation, type UserTranslation } from './translation/settings.ts';
import { validatePublish, type PublishConfig } from './publish/settings.ts';
import { resolveSite, validateSite, type ResolvedSite, type UserSite } from './render/settings.ts';

export type { LinkStyle } from './render/settings.ts';

/** What a user may write. Every field is optional; defaults are documented. */
export interface UserConfig {
  /** Locale of statements whose front matter has no `lang`. Default `en`. */
  sourceLocale?: Locale;
  /** Locales every statement is published in. Default `["nl", "fr", "en"]`. */
  locales?: Locale[];
  /**
   * Fallback chains for regional variants, e.g. `{"nl-BE": ["nl"]}`. The
   * statement's source locale always ends the chain.
   */
  fallback?: Record<Locale, Locale[]>;
  /** Default `statements`. */
  statementsDir?: string;
  /** Default `locales`. */
  localesDir?: string;
  /** Where `build` writes the site. Default `dist`. */
  outDir?: string;
  /** Content-hash caches. Default `.cache`. */
  cacheDir?: string;
  /** Missing or stale translations are errors instead of warnings. Default false. */
  strict?: boolean;
  /** The published site (render stage). */
  site?: UserSite;
  /** `statements check`: rule severities, allowlists, placeholder strictness, online probing. */
  checks?: UserChecks;
  /** Translators' tools: pseudo-locale, translation memory, review before publishing. */
  translation?: UserTranslation;
  /** `statements publish`: target (`s3://bucket/prefix` or a folder, default `public`), endpoint, region, … */
  publish?: PublishConfig;
  /**
   * A folder inside the project (besides the statements folder) that images
   * may come from, e.g. `assets` for a shared logo. Default none.
   */
  assetsDir?: string;
  /** Limits on untrusted input; the defaults are far above any real statement. */
  limits?: UserLimits;
}

/** Each limit, when exceeded, is a positioned error on the file that exceeds it. */
export interface UserLimits {
  /** Bytes of one statement file. Default 2 MiB. */
  statementBytes?: number;
  /** Bytes of one locale bundle or state file. Default 8 MiB. */
  bundleBytes?: number;
  /** Characters of one translation value. Default 65536. */
  translationLength?: number;
  /** Nesting depth of a statement (block quotes, lists, emphasis, links). Default 100. */
  depth?: number;
  /** Bytes of one image a statement references. Default 10 MiB. */
  assetBytes?: number;
  /** YAML aliases in one front matter block. Default 100. */
  yamlAliases?: number;
}

export type Limits = Required<UserLimits>;

/** The port of `statements serve` on 127.0.0.1 when `--port` is not given. */
export const DEFAULT_PREVIEW_PORT = 4321;

export const DEFAULT_LIMITS: Limits = {
  statementBytes: 2 * 1024 * 1024,
  bundleBytes: 8 * 1024 * 1024,
  translationLength: 65_536,
  depth: 100,
  assetBytes: 10 * 1024 * 1024,
  yamlAliases: 100,
};

/** The shape stages accept: every default filled in, folders absolute. */
export interface ResolvedConfig {
  root: string;
  sourceLocale: Locale;
  locales: Locale[];
  fallback: Record<Locale, Locale[]>;
  statementsDir: string;
  localesDir: string;
  outDir: string;
  cacheDir: string;
  strict: boolean;
  site: ResolvedSite;
  checks: ResolvedChecks;
  translation: ResolvedTranslation;
  /** As written; flags and `STATEMENTS_PUBLISH_*` variables are applied by `resolvePublishSettings`. */
  publish: PublishConfig;
  /** Absolute, when configured. */
  assetsDir?: string;
  limits: Limits;
}

const LOCALE = /^[a-z]{2,3}(-[A-Z]{2}|-[A-Z][a-z]{3}|-[A-Z]{2}-[a-z]+)?$|^[a-z]{2,3}-[A-Z]{2}$/;

/** Whether `value` looks like a locale folder name (`nl`, `nl-BE`, `en-XA`). */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && LOCALE.test(value);
}

/** Fill in defaults and make folders absolute against `root`. */
export function resolveConfig(user: UserConfig = {}, root = process.cwd()): ResolvedConfig {
  const dir = (value: string | undefined, fallback: string) => path.resolve(root, value ?? fallback);
  return {
    root: path.resolve(root),
    sourceLocale: user.sourceLocale ?? 'en',
    locales: withPseudoLocale(user.locales ?? ['nl', 'fr', 'en'], user.translation),
    fallback: user.fallback ?? {},
    statementsDir: dir(user.statementsDir, 'statements'),
    localesDir: dir(user.localesDir, 'locales'),
    outDir: dir(user.outDir, 'dist'),
    cacheDir: dir(user.cacheDir, '.cache'),
    strict: user.strict ?? false,
    site: resolveSite(user.site, (file) => path.resolve(root, file)),
    checks: resolveChecks(user.checks),
    translation: resolveTranslation(user.translation),
    publish: user.publish ?? {},
    assetsDir: user.assetsDir === undefined ? undefined : dir(user.assetsDir, ''),
    limits: { ...DEFAULT_LIMITS, ...user.limits },
  };
}

/**
 * Read `statements.config.json` in `root` if there is one. A broken config is
 * a positioned error, never a silent default.
 */
export async function loadConfig(root = process.cwd(), overrides: UserConfig = {}): Promise<ResolvedConfig> {
  const file = new VFile({ path: path.join(root, CONFIG_FILE), cwd: root });
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return resolveConfig(overrides, root);
    throw error;
  }
  file.value = text;
  const value = parseJsonFile(file, text);
  if (value === undefined) throw new PipelineError(file);
  const user = validateUserConfig(file, value, root);
  if (file.messages.some((message) => message.fatal)) throw new PipelineError(file);
  return resolveConfig({ ...user, ...overrides }, root);
}

function validateUserConfig(file: VFile, value: unknown, root: string): UserConfig {
  let places: Map<string, Point> | undefined;
  /** A fatal message, at the key `at` (`site.accentColor`) when given. */
  const fail = (reason: string, at?: string) => {
    if (at && !places) {
      const located = locateJson(String(file.value), true);
      places = new Map([...located.keys, ...located.nested]);
    }
    const message = file.message(reason, { ruleId: 'config', source: 'statements', place: at ? places!.get(at) : undefined });
    message.fatal = true;
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('Unexpected config, expected a JSON object');
    return {};
  }
  const user = value as Record<string, unknown>;
  for (const field of ['sourceLocale'] as const) {
    if (user[field] !== undefined && !isLocale(user[field])) fail(`Unexpected \`${field}\`, expected a locale such as \`en\``);
  }
  if (user.locales !== undefined && !(Array.isArray(user.locales) && user.locales.every(isLocale))) {
    fail('Unexpected `locales`, expected an array of locales such as `["nl", "fr", "en"]`');
  }
  for (const field of ['statementsDir', 'localesDir', 'outDir', 'cacheDir', 'assetsDir'] as const) {
    if (user[field] !== undefined && typeof user[field] !== 'string') fail(`Unexpected \`${field}\`, expected a folder path`);
  }
  if (typeof user.assetsDir === 'string' && !isInside(path.resolve(root, user.assetsDir), path.resolve(root), true)) {
    fail('Unexpected `assetsDir`, expected a folder inside the project such as `assets`');
  }
  if (user.limits !== undefined) {
    const limits = user.limits as Record<string, unknown> | null;
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) fail('Unexpected `limits`, expected an object such as `{"depth": 100}`');
    else {
      for (const [field, setting] of Object.entries(limits)) {
        if (!(field in DEFAULT_LIMITS))
          fail(
            `Unexpected \`limits.${field}\`, expected one of ${Object.keys(DEFAULT_LIMITS)
              .map((key) => `\`${key}\``)
              .join(', ')}`,
          );
        else if (!Number.isInteger(setting) || (setting as number) < 1) fail(`Unexpected \`limits.${field}\`, expected a whole number of at least 1`);
      }
    }
  }
  validateSite(user.site, fail, isLocale);
  validateChecks(user.checks, fail);
  validateTranslation(user.translation, fail, isLocale);
  validatePublish(user.publish, fail);
  return user as UserConfig;
}
