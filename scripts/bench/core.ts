/**
 * Extract and reassemble throughput on the generated corpus, cold (no cache)
 * and warm (nothing changed), each phase in its own process so that its peak
 * memory is its own; and po4a on the same corpus when it is installed.
 */
import { spawnSync } from 'node:child_process';
import { rm, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../pipeline/config.ts';
import { extractProject } from '../../pipeline/commands/extract.ts';
import { buildProject } from '../../pipeline/commands/build.ts';

interface Phase {
  extractMs: number;
  buildMs: number;
  documents: number;
  peakMB: number;
}

/** One phase, run in this process: extract then build. */
async function phase(corpusDir: string): Promise<Phase> {
  const config = await loadConfig(corpusDir);
  let started = performance.now();
  await extractProject(config);
  const extractMs = performance.now() - started;
  started = performance.now();
  const built = await buildProject(config);
  return { extractMs, buildMs: performance.now() - started, documents: built.documents.length, peakMB: process.resourceUsage().maxRSS / 1024 };
}

function inChild(corpusDir: string): Phase {
  const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), corpusDir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`bench phase failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Phase;
}

/** po4a's extract (gettextize/update) and reassemble (translate) of every statement into nl and fr. */
async function po4a(corpusDir: string): Promise<number | string> {
  if (spawnSync('po4a', ['--version']).status !== 0) return 'not installed';
  const work = path.join(corpusDir, '.po4a');
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const files = (await readdir(path.join(corpusDir, 'statements'))).filter((name) => name.endsWith('.md')).sort();
  const lines = ['[po4a_langs] nl fr', '[po4a_paths] .po4a/statements.pot $lang:.po4a/$lang.po', '[options] opt:"-k 0"'];
  for (const name of files) lines.push(`[type: text] statements/${name} $lang:.po4a/out/$lang/${name} opt:"-o markdown"`);
  await writeFile(path.join(work, 'po4a.cfg'), `${lines.join('\n')}\n`);
  const started = performance.now();
  // po4a 0.69 can hang on an unterminated code fence: bound it.
  const result = spawnSync('po4a', ['.po4a/po4a.cfg'], { cwd: corpusDir, timeout: 600_000, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) return `failed (${result.error?.message ?? result.stderr.split('\n')[0]})`;
  return ms;
}

export async function bench(corpusDir: string): Promise<Record<string, string | number>> {
  await rm(path.join(corpusDir, '.cache'), { recursive: true, force: true });
  await rm(path.join(corpusDir, 'dist'), { recursive: true, force: true });
  const cold = inChild(corpusDir);
  const warm = inChild(corpusDir);
  const statements = (await readdir(path.join(corpusDir, 'statements'))).length;
  const coldMs = cold.extractMs + cold.buildMs;
  const po4aMs = await po4a(corpusDir);
  return {
    statements,
    'cold extract (s)': +(cold.extractMs / 1000).toFixed(2),
    'cold reassemble, 3 locales (s)': +(cold.buildMs / 1000).toFixed(2),
    'cold total (s)': +(coldMs / 1000).toFixed(2),
    'cold documents/s': Math.round(cold.documents / (cold.buildMs / 1000)),
    'cold peak RSS (MB)': Math.round(cold.peakMB),
    'warm extract + build (s)': +((warm.extractMs + warm.buildMs) / 1000).toFixed(2),
    'warm peak RSS (MB)': Math.round(warm.peakMB),
    'po4a extract + translate, nl fr (s)': typeof po4aMs === 'number' ? +(po4aMs / 1000).toFixed(2) : po4aMs,
    'po4a / cold': typeof po4aMs === 'number' ? +(po4aMs / coldMs).toFixed(2) : 'n/a',
  };
}

// Run as a phase child: `node --import tsx scripts/bench/core.ts <corpus>`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(JSON.stringify(await phase(process.argv[2]!)));
}
