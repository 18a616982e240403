/**
 * A worker thread loads its task from one prebuilt ES module (an esbuild
 * bundle of the task's module and everything it imports) instead of through
 * tsx: measured on the 2-core machine, a worker that loads the extract's
 * modules through tsx answers after 0.8 s, from a bundle after 0.15 s, with
 * half the memory. What a statement costs is paid again by each thread, so
 * a cheap start is what lets a second thread pay for itself at all.
 *
 * The bundle is kept in `node_modules/.cache/statement-pipeline/` (or the
 * user's cache folder) with the size and modification time of every file it
 * was built from and of the TypeScript settings, and built again when one of
 * them differs (a local change, an upgrade). When it
 * cannot be built or kept, the worker loads the task through tsx as before.
 */
import type { Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readTextIfExists, writeFileAtomic } from './fs.ts';

/** A folder bundles may be kept in. */
export interface CacheFolder {
  dir: string;
  /** Outside the install: used only while it is this user's own and no one else can write to it. */
  own?: boolean;
}

/**
 * Where bundles are kept, the first that can be written: the package's own
 * `node_modules/.cache`, as other build tools keep theirs (whoever can write
 * there can change the tool itself), else the user's cache folder, for an
 * install the user cannot write to. Never a shared temp folder: another
 * user could put a bundle there for this one to run.
 */
function cacheFolders(): CacheFolder[] {
  // XDG: a relative XDG_CACHE_HOME is to be ignored.
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache');
  return [
    { dir: fileURLToPath(new URL('../../node_modules/.cache/statement-pipeline/workers/', import.meta.url)) },
    { dir: path.join(base, 'statement-pipeline', 'workers'), own: true },
  ];
}

/** What esbuild reads besides the package's modules: their TypeScript settings. */
const SETTINGS = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

/** `[size, mtimeMs]` of a file that was not there. */
const ABSENT: [number, number] = [-1, -1];

/** A kept bundle: its file (named by its content) and the files it was built from, each with `[size, mtimeMs]`. */
interface BundleRecord {
  bundle: string;
  inputs: Record<string, [number, number]>;
}

/** A bundle just built: its code, and the files it came from as they were. */
interface BuiltBundle {
  contents: Uint8Array;
  inputs: BundleRecord['inputs'];
  /** Whether every input was last modified before the build began: otherwise the bundle may hold a file as it was before. */
  settled: boolean;
}

/**
 * The bundle of `module` for a worker to import, built when missing or stale
 * (about 0.4 s) and kept in the first of `folders` that can be written;
 * undefined when it cannot be built or kept.
 */
export async function taskBundle(module: URL, folders?: CacheFolder[]): Promise<URL | undefined> {
  // Node's version too: it is the bundle's target.
  const name = createHash('sha256').update(`${module.href}\u0000${process.version}`).digest('hex').slice(0, 16);
  try {
    const candidates = folders ?? cacheFolders();
    for (const folder of candidates) {
      const kept = await keptBundle(folder, name);
      if (kept) return kept;
    }
    const built = await buildBundle(module);
    const failures: unknown[] = [];
    for (const folder of candidates) {
      try {
        return await keepBundle(built, folder, name);
      } catch (caught) {
        failures.push(caught);
      }
    }
    throw new Error(`no folder to keep it in: ${failures.map((failure) => (failure as Error).message.split('\n')[0]).join('; ') || 'none given'}`);
  } catch (caught) {
    // No bundle (no esbuild for this platform, no folder to keep it in, a module esbuild cannot read): the worker loads through tsx.
    process.emitWarning(
      `Worker threads load ${fileURLToPath(module)} through tsx, without a bundle: ${String((caught as Error)?.message ?? caught).split('\n')[0]}`,
      'StatementsWarning',
    );
    return undefined;
  }
}

/** Whether `folder` may be read from (it is there) or, with `create`, written to (made if need be): the user's own, writable by no one else. */
async function trusted(folder: CacheFolder, create: boolean): Promise<boolean> {
  if (create) await mkdir(folder.dir, { recursive: true, mode: 0o700 });
  if (!folder.own) return true;
  const info = await stat(folder.dir).catch(() => undefined);
  // Followed, not lstat: a link to someone else's folder is theirs.
  return info !== undefined && (process.getuid === undefined || info.uid === process.getuid()) && (info.mode & 0o022) === 0;
}

/** The bundle `folder` keeps for `name`, if the files it was built from are as they were. */
async function keptBundle(folder: CacheFolder, name: string): Promise<URL | undefined> {
  if (!(await trusted(folder, false))) return undefined;
  const record = parseRecord(await readTextIfExists(path.join(folder.dir, `${name}.json`)).catch(() => undefined));
  return record && (await unchanged(record, folder.dir)) ? pathToFileURL(path.join(folder.dir, record.bundle)) : undefined;
}

/** A record as written by `keepBundle`; anything else (a torn or foreign file) is no record. */
function parseRecord(text: string | undefined): BundleRecord | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<BundleRecord> | null;
    const valid =
      typeof value?.bundle === 'string' &&
      path.basename(value.bundle) === value.bundle &&
      typeof value.inputs === 'object' &&
      value.inputs !== null &&
      Object.values(value.inputs).every((input) => Array.isArray(input) && input.length === 2);
    return valid ? (value as BundleRecord) : undefined;
  } catch {
    return undefined;
  }
}

async function buildBundle(module: URL): Promise<BuiltBundle> {
  // Loaded only to build: most runs find their bundle kept.
  const { build } = await import('esbuild');
  const started = Date.now();
  const result = await build({
    stdin: {
      contents: `export * as task from ${JSON.stringify(fileURLToPath(module))};\nexport { claimed } from ${JSON.stringify(fileURLToPath(new URL('./pool.ts', import.meta.url)))};\n`,
      resolveDir: fileURLToPath(new URL('.', import.meta.url)),
      loader: 'js',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    // Only this thread builds bundles.
    external: ['esbuild'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Modules written for CommonJS call `require` for Node's own modules.
    banner: { js: `import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);` },
    plugins: [ownLocation],
  });
  const files = Object.keys(result.metafile.inputs)
    .filter((input) => input !== '<stdin>')
    .map((input) => path.resolve(input));
  const inputs: BundleRecord['inputs'] = {};
  await Promise.all(
    [...files, SETTINGS].map(async (file) => {
      const found = await stat(file).catch((caught: NodeJS.ErrnoException) => {
        // No settings is a state too: settings written later make a new bundle.
        if (file === SETTINGS && caught.code === 'ENOENT') return undefined;
        throw caught;
      });
      inputs[file] = found ? [found.size, found.mtimeMs] : ABSENT;
    }),
  );
  return { contents: result.outputFiles[0]!.contents, inputs, settled: Object.values(inputs).every(([, mtimeMs]) => mtimeMs < started) };
}

/** Write `built` into `folder`; its record only when it is settled, so a bundle that may hold an older file is built again next time. */
async function keepBundle(built: BuiltBundle, folder: CacheFolder, name: string): Promise<URL> {
  if (!(await trusted(folder, true))) throw new Error(`${folder.dir} is not this user's own`);
  const cacheDir = folder.dir;
  // Named by its content: a process that built from older files never writes over a newer bundle.
  const bundle = `${name}-${createHash('sha256').update(built.contents).digest('hex').slice(0, 16)}.mjs`;
  await writeFileAtomic(path.join(cacheDir, bundle), built.contents);
  if (built.settled) {
    await writeFileAtomic(path.join(cacheDir, `${name}.json`), JSON.stringify({ bundle, inputs: built.inputs } satisfies BundleRecord));
    await removeOldBundles(cacheDir, name, bundle);
  }
  return pathToFileURL(path.join(cacheDir, bundle));
}

async function unchanged(record: BundleRecord, cacheDir: string): Promise<boolean> {
  const checks = await Promise.all([
    stat(path.join(cacheDir, record.bundle)).then(
      () => true,
      () => false,
    ),
    ...Object.entries(record.inputs).map(([file, [size, mtimeMs]]) =>
      stat(file).then(
        (now) => now.size === size && now.mtimeMs === mtimeMs,
        (caught: NodeJS.ErrnoException) => caught.code === 'ENOENT' && size === ABSENT[0] && mtimeMs === ABSENT[1],
      ),
    ),
  ]);
  return checks.every(Boolean);
}

/** Earlier bundles of the same task, once no run can still be about to load them (a worker imports its bundle as it starts). */
async function removeOldBundles(cacheDir: string, name: string, current: string): Promise<void> {
  const now = Date.now();
  for (const file of await readdir(cacheDir)) {
    if (!file.startsWith(`${name}-`) || file === current) continue;
    const at = path.join(cacheDir, file);
    const { mtimeMs } = await stat(at).catch(() => ({ mtimeMs: now }));
    if (now - mtimeMs > 60_000) await rm(at, { force: true });
  }
}

/**
 * A module's own location, where it asks for it: one bundle holds them all,
 * and each reads files next to itself (fonts, data). `import.meta.url` and
 * `.dirname`/`.filename` become constants of the module; a CommonJS module
 * gets `__dirname` and `__filename` as Node's wrapper would give them.
 */
const META = /\bimport\.meta\.(url|dirname|filename)\b/g;
const HAS_META = /\bimport\.meta\.(?:url|dirname|filename)\b/;
const COMMONJS_LOCATION = /\b__(?:dirname|filename)\b/;
const ESM = /^\s*(?:import|export)\b/m;

const ownLocation: Plugin = {
  name: 'own-location',
  setup(bundler) {
    bundler.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path: file }) => {
      const text = await readFile(file, 'utf8');
      const meta = HAS_META.test(text);
      const commonJs = !ESM.test(text) && COMMONJS_LOCATION.test(text);
      if (!meta && !commonJs) return undefined;
      const place = { url: pathToFileURL(file).href, dirname: path.dirname(file), filename: file };
      // Identifiers, not string literals: a mention inside a string or a comment stays valid code.
      let contents = meta
        ? `const __module_url = ${JSON.stringify(place.url)}, __module_dirname = ${JSON.stringify(place.dirname)}, __module_filename = ${JSON.stringify(place.filename)};\n${text.replace(META, (_all, key: string) => `__module_${key}`)}`
        : text;
      if (commonJs) contents = `var __dirname = ${JSON.stringify(place.dirname)}, __filename = ${JSON.stringify(place.filename)};\n${contents}`;
      return { contents, loader: /\.[cm]?ts$/.test(file) ? 'ts' : 'js' };
    });
  },
};
