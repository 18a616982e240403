/**
 * Extract and reassemble throughput on the generated corpus, cold (no cache)
 * and warm (nothing changed), each phase in its own process so that its peak
 * memory is its own; and po4a on the same corpus when it is installed.
 */
import { spawnSync } from 'node:child_process';
import { rm, readdir, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { loadConfig } from '../../pipeline/config.ts';
import { extractProject } from '../../pipeline/commands/extract.ts';
import { buildProject } from '../../pipeline/commands/build.ts';
import { Diagnostics } from '../../pipeline/diagnostics.ts';
import { runInWorkers, workerCount } from '../../pipeline/project/pool.ts';
import { findStatements, type StatementEntry } from '../../pipeline/project/project.ts';
import { addRow, fastest } from './summary.ts';
import { hostProbe } from './probe.ts';
import { clearAway } from './trash.ts';
import { limitHeapGrowth } from '../cli/heap.ts';

/** What a phase child runs: everything cold (extract, reassembly, build), only the cold extract and reassembly, or everything again with nothing changed. */
type PhaseKind = 'cold' | 'core' | 'warm';

interface Phase {
  extractMs: number;
  /** Reassembly to Markdown alone (the core's share of a build), over the threads the pool would use; cold phase only. */
  reassembleMs?: number;
  documents?: number;
  /** Absent in a `core` phase. */
  buildMs?: number;
  built?: number;
  peakMB: number;
}

/** What reassembling a statement into its three locales costs: about 1.5 ms on the 2-core machine. */
const REASSEMBLE_MS = 1.5;

async function phase(corpusDir: string, kind: PhaseKind): Promise<Phase> {
  const cold = kind !== 'warm';
  const config = await loadConfig(corpusDir);
  let started = performance.now();
  await extractProject(config);
  const extractMs = performance.now() - started;
  let reassembled: Pick<Phase, 'reassembleMs' | 'documents'> = {};
  if (cold) {
    const entries = await findStatements(config, new Diagnostics(corpusDir));
    started = performance.now();
    const counts = await runInWorkers<StatementEntry, number>(
      new URL('./reassemble-shard.ts', import.meta.url),
      'reassembleShard',
      entries,
      // As a command would: one thread unless there is enough work to pay for a worker.
      workerCount(entries.length, { itemMs: REASSEMBLE_MS }),
      [config],
    );
    reassembled = { reassembleMs: performance.now() - started, documents: counts.reduce((a, b) => a + b, 0) };
  }
  let build: Pick<Phase, 'buildMs' | 'built'> = {};
  if (kind !== 'core') {
    started = performance.now();
    const built = await buildProject(config);
    build = { buildMs: performance.now() - started, built: built.documents.length };
  }
  return { extractMs, ...reassembled, ...build, peakMB: process.resourceUsage().maxRSS / 1024 };
}

function inChild(corpusDir: string, kind: PhaseKind): Phase {
  const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), corpusDir, kind], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
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

const seconds = (ms: number) => +(ms / 1000).toFixed(2);

/** `kind` from nothing cached: no trees, no caches, no site. */
async function fromScratch(corpusDir: string, kind: PhaseKind): Promise<Phase> {
  await clearAway(path.join(corpusDir, '.cache'));
  await clearAway(path.join(corpusDir, 'dist'));
  return inChild(corpusDir, kind);
}

export async function bench(corpusDir: string): Promise<Record<string, string | number>> {
  // Extract + reassembly is the best of three cold runs: a figure of a few seconds is at the mercy of the host's
  // load, which here moved it by a fifth within minutes. Only the last goes on to the build, which the warm phase needs.
  const probes = [await hostProbe()];
  const cores = [await fromScratch(corpusDir, 'core'), await fromScratch(corpusDir, 'core')];
  const cold = await fromScratch(corpusDir, 'cold');
  probes.push(await hostProbe());
  const probed = probes.map((probe) => `${seconds(probe.alone)} s alone, ${seconds(probe.paired)} s two at once`).join('; ');
  // The unchanged re-run is the best of three, each a process of its own: a figure of a few hundred milliseconds,
  // half of it system calls, moves by a fifth with the host's load.
  const warms = [inChild(corpusDir, 'warm'), inChild(corpusDir, 'warm'), inChild(corpusDir, 'warm')];
  const warmMs = (phase: Phase) => phase.extractMs + phase.buildMs!;
  const warm = fastest(warms, warmMs);
  const statements = (await readdir(path.join(corpusDir, 'statements'))).length;
  const coreRuns = [...cores, cold];
  const coreMsOf = (run: Phase) => run.extractMs + run.reassembleMs!;
  const best = fastest(coreRuns, coreMsOf);
  const coreMs = coreMsOf(best);
  const po4aMs = await po4a(corpusDir);
  addRow({
    stage: `cold extract + reassemble, ${statements} statements, best of 3`,
    ours: `${seconds(coreMs)} s`,
    peer: typeof po4aMs === 'number' ? `po4a ${seconds(po4aMs)} s` : `po4a ${po4aMs}`,
    ratio: typeof po4aMs === 'number' ? po4aMs / coreMs : undefined,
    target: '< 6 s for 1,000, ≥ 8× po4a',
  });
  addRow({
    stage: 'host probe: a fixed JavaScript workload in a fresh process, alone and two at once, before and after the cold runs',
    ours: probed,
    target: 'for reading the cold figure: it moves with the host',
  });
  addRow({ stage: 'warm extract + build, nothing changed, best of 3', ours: `${seconds(warmMs(warm))} s`, target: '< 0.5 s' });
  addRow({ stage: 'peak RSS, cold extract + build', ours: `${Math.round(cold.peakMB)} MB`, target: '< 400 MB' });
  return {
    statements,
    'cold extract (s), best run': seconds(best.extractMs),
    'cold reassemble to Markdown, 3 locales (s)': seconds(best.reassembleMs!),
    'cold extract + reassemble (s), best of 3': seconds(coreMs),
    'host probe before; after the cold runs': probed,
    'cold extract + reassemble (s), all 3': coreRuns.map((run) => seconds(coreMsOf(run))).join(' / '),
    'reassembled documents/s': Math.round(best.documents! / (best.reassembleMs! / 1000)),
    'cold full build with HTML + PDF (s)': seconds(cold.buildMs!),
    'cold peak RSS (MB)': Math.round(cold.peakMB),
    'warm extract + build, nothing changed (s), best of 3': seconds(warmMs(warm)),
    'warm extract + build, nothing changed (s), all 3': warms.map((run) => seconds(warmMs(run))).join(' / '),
    'warm documents rebuilt': Math.max(...warms.map((run) => run.built!)),
    'warm peak RSS (MB), highest of 3': Math.round(Math.max(...warms.map((run) => run.peakMB))),
    'po4a extract + translate, nl fr (s)': typeof po4aMs === 'number' ? seconds(po4aMs) : po4aMs,
    'po4a / our extract + reassemble': typeof po4aMs === 'number' ? +(po4aMs / coreMs).toFixed(2) : 'n/a',
  };
}

// A phase child: `node --import tsx scripts/bench/core.ts <corpus> cold|core|warm`.
if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  limitHeapGrowth();
  console.log(JSON.stringify(await phase(process.argv[2]!, process.argv[3] as PhaseKind)));
}
