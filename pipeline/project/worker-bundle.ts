/**
 * A worker thread loads its task from one prebuilt ES module (an esbuild
 * bundle of the task's module and everything it imports) instead of through
 * tsx: measured on the 2-core machine, a worker that loads the extract's
 * modules through tsx answers after 0.8 s, from a bundle after 0.15 s, with
 * half the memory. What a statement costs is paid again by each thread, so
 * a cheap start is what lets a second thread pay for itself at all.
 *
 * The bundle is kept in `node_modules/.cache/statement-pipeline/` with the
 * size and modification time of every file it was built from, and built
 * again when one of them differs (a local change, an upgrade). When it
 * cannot be built or kept, the worker loads the task through tsx as before.
 */
import type { Plugin } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readTextIfExists, writeFileAtomic } from './fs.ts';

/** Where bundles are kept: the package's own `node_modules/.cache`, as other build tools keep theirs. */
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/statement-pipeline/workers/', import.meta.url));

/** The files a bundle was built from, each with `[size, mtimeMs]`. */
type BundleInputs = Record<string, [number, number]>;

/**
 * The bundle of `module` for a worker to import, built when missing or stale
 * (about 0.4 s); undefined when it cannot be built or kept.
 */
export async function taskBundle(module: URL, cacheDir = CACHE_DIR): Promise<URL | undefined> {
  const name = createHash('sha256').update(module.href).digest('hex').slice(0, 16);
  const file = path.join(cacheDir, `${name}.mjs`);
  const record = path.join(cacheDir, `${name}.json`);
  try {
    const kept = await readTextIfExists(record);
    if (kept && (await unchanged(JSON.parse(kept) as BundleInputs))) return pathToFileURL(file);
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
      write: false,
      metafile: true,
      logLevel: 'silent',
      // Modules written for CommonJS call `require` for Node's own modules.
      banner: { js: `import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);` },
      plugins: [ownLocation],
    });
    const inputs: BundleInputs = {};
    await Promise.all(
      Object.keys(result.metafile.inputs)
        .filter((input) => input !== '<stdin>')
        .map(async (input) => {
          const { size, mtimeMs } = await stat(input);
          inputs[path.resolve(input)] = [size, mtimeMs];
        }),
    );
    // The record goes last: a bundle without one is never used. A file changed
    // while esbuild read it may be in the bundle as it was: no record, built again next time.
    await writeFileAtomic(file, result.outputFiles[0]!.contents);
    if (Object.values(inputs).every(([, mtimeMs]) => mtimeMs < started)) await writeFileAtomic(record, JSON.stringify(inputs));
    return pathToFileURL(file);
  } catch {
    // No bundle (no esbuild for this platform, a read-only install): the worker loads through tsx.
    return undefined;
  }
}

async function unchanged(inputs: BundleInputs): Promise<boolean> {
  const checks = await Promise.all(
    Object.entries(inputs).map(([file, [size, mtimeMs]]) =>
      stat(file).then(
        (now) => now.size === size && now.mtimeMs === mtimeMs,
        () => false,
      ),
    ),
  );
  return checks.every(Boolean);
}

/** A module's own location, where it asks for it: one bundle holds them all, and each reads files next to itself (fonts, data). */
const LOCATION = /\bimport\.meta\.url\b|\b__dirname\b|\b__filename\b/;
const DECLARES_LOCATION = /\b(?:const|let|var|function|class)\s+__(?:dirname|filename)\b/;

const ownLocation: Plugin = {
  name: 'own-location',
  setup(bundler) {
    bundler.onLoad({ filter: /\.[cm]?[jt]s$/ }, async ({ path: file }) => {
      const text = await readFile(file, 'utf8');
      if (!LOCATION.test(text)) return undefined;
      let contents = text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(file).href));
      if (!DECLARES_LOCATION.test(text) && /\b__(?:dirname|filename)\b/.test(text))
        contents = `var __dirname = ${JSON.stringify(path.dirname(file))}, __filename = ${JSON.stringify(file)};\n${contents}`;
      return { contents, loader: /\.[cm]?ts$/.test(file) ? 'ts' : 'js' };
    });
  },
};
