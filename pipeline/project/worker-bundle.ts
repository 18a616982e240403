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
import { readFile, readdir, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readTextIfExists, writeFileAtomic } from './fs.ts';

/**
 * Where bundles are kept, the first that can be written: the package's own
 * `node_modules/.cache`, as other build tools keep theirs, else the user's
 * cache folder (an install the user cannot write to). Never a shared temp
 * folder: another user could put a bundle there for this one to run.
 */
const CACHE_DIRS = [
  fileURLToPath(new URL('../../node_modules/.cache/statement-pipeline/workers/', import.meta.url)),
  path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'statement-pipeline', 'workers'),
];

/** What esbuild reads besides the modules: their TypeScript settings. */
const SETTINGS = fileURLToPath(new URL('../../tsconfig.json', import.meta.url));

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
 * (about 0.4 s) and kept in the first of `cacheDirs` that can be written;
 * undefined when it cannot be built or kept.
 */
export async function taskBundle(module: URL, cacheDirs: string[] = CACHE_DIRS): Promise<URL | undefined> {
  // Node's version too: it is the bundle's target.
  const name = createHash('sha256').update(`${module.href}\u0000${process.version}`).digest('hex').slice(0, 16);
  try {
    for (const cacheDir of cacheDirs) {
      const kept = await keptBundle(cacheDir, name);
      if (kept) return kept;
    }
    const built = await buildBundle(module);
    let failure: unknown;
    for (const cacheDir of cacheDirs) {
      try {
        return await keepBundle(built, cacheDir, name);
      } catch (caught) {
        failure ??= caught;
      }
    }
    throw failure;
  } catch (caught) {
    // No bundle (no esbuild for this platform, no folder to keep it in, a module esbuild cannot read): the worker loads through tsx.
    process.emitWarning(
      `Worker threads load ${fileURLToPath(module)} through tsx, without a bundle: ${(caught as Error).message.split('\n')[0]}`,
      'StatementsWarning',
    );
    return undefined;
  }
}

/** The bundle `cacheDir` keeps for `name`, if the files it was built from are as they were. */
async function keptBundle(cacheDir: string, name: string): Promise<URL | undefined> {
  const kept = await readTextIfExists(path.join(cacheDir, `${name}.json`)).catch(() => undefined);
  const record = kept ? (JSON.parse(kept) as BundleRecord) : undefined;
  return record && (await unchanged(record, cacheDir)) ? pathToFileURL(path.join(cacheDir, record.bundle)) : undefined;
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
        if (file === SETTINGS && caught.code === 'ENOENT') return undefined;
        throw caught;
      });
      if (found) inputs[file] = [found.size, found.mtimeMs];
    }),
  );
  return { contents: result.outputFiles[0]!.contents, inputs, settled: Object.values(inputs).every(([, mtimeMs]) => mtimeMs < started) };
}

/** Write `built` into `cacheDir`; its record only when it is settled, so a bundle that may hold an older file is built again next time. */
async function keepBundle(built: BuiltBundle, cacheDir: string, name: string): Promise<URL> {
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
        () => false,
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
