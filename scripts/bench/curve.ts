/**
 * The cost curve: time and peak memory of a cold extract, a cold build
 * (HTML + PDF) and a no-op publish at 100 and 1,000 statements, and 5,000
 * with BENCH_CURVE_5000=1 (its corpus alone takes minutes to generate).
 * Each phase runs in its own process, so that its peak RSS is its own. The
 * no-op publish goes to a local folder: the work it does is local (read the
 * manifests, compare), so the network does not blur the curve.
 */
import { spawnSync } from 'node:child_process';
import { clearAway } from './trash.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { loadConfig } from '../../pipeline/config.ts';
import { extractProject } from '../../pipeline/commands/extract.ts';
import { buildProject } from '../../pipeline/commands/build.ts';
import { publishProject } from '../../pipeline/commands/publish.ts';
import { generateCorpus } from './corpus.ts';
import { addRow } from './summary.ts';
import { limitHeapGrowth } from '../cli/heap.ts';

const PHASES = ['extract', 'build', 'publish', 'no-op publish'] as const;
type Phase = (typeof PHASES)[number];

interface Measured {
  ms: number;
  /** CPU time of the process, every thread: steadier than the wall time on a shared machine. */
  cpuMs: number;
  peakMB: number;
}

/** One phase on the project in `dir`, in this process. */
async function run(dir: string, phase: Phase): Promise<Measured> {
  const config = await loadConfig(dir);
  const started = performance.now();
  const cpu = process.cpuUsage();
  if (phase === 'extract') await extractProject(config);
  if (phase === 'build') await buildProject(config);
  if (phase === 'publish' || phase === 'no-op publish') {
    await publishProject(config, { build: false, check: false, env: {}, overrides: { target: path.join(dir, 'public') } });
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000, peakMB: process.resourceUsage().maxRSS / 1024 };
}

function inChild(dir: string, phase: Phase): Measured {
  const result = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), dir, phase], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`cost curve, ${phase}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measured;
}

export const curveSizes = () => [100, 1000, ...(process.env.BENCH_CURVE_5000 ? [5000] : [])];

export async function bench(): Promise<Record<string, string | number>> {
  const figures: Record<string, string | number> = {};
  const per: Record<string, Array<{ size: number } & Measured>> = {};
  for (const size of curveSizes()) {
    const dir = path.join(tmpdir(), `statements-bench-curve-${size}`);
    await clearAway(dir);
    await generateCorpus(dir, size);
    // Cold: generating extracted the corpus; start again without caches or a build.
    await clearAway(path.join(dir, '.cache'));
    for (const phase of PHASES) {
      const measured = inChild(dir, phase);
      if (phase === 'publish') continue;
      (per[phase] ??= []).push({ size, ...measured });
      figures[`${size} statements: ${phase === 'extract' || phase === 'build' ? `cold ${phase}` : phase}`] =
        `${(measured.ms / 1000).toFixed(2)} s (CPU ${(measured.cpuMs / 1000).toFixed(2)} s), ${((measured.ms / size) * 1000).toFixed(0)} µs/statement, peak RSS ${Math.round(measured.peakMB)} MB`;
    }
    await clearAway(dir);
  }
  for (const [phase, points] of Object.entries(per)) {
    const first = points[0]!;
    const last = points.at(-1)!;
    // Time per statement at the largest size against the smallest: 1 is linear, above 1 grows faster than the corpus.
    const growth = (of: (point: Measured) => number) => `${(of(last) / last.size / (of(first) / first.size)).toFixed(2)}×`;
    figures[`${phase}: time per statement, ${last.size} vs ${first.size}`] = `${growth((point) => point.ms)} (CPU ${growth((point) => point.cpuMs)})`;
    addRow({
      stage: `cost curve, ${phase}`,
      ours: points
        .map((point) => `${point.size}: ${(point.ms / 1000).toFixed(2)} s (CPU ${(point.cpuMs / 1000).toFixed(2)} s), ${Math.round(point.peakMB)} MB`)
        .join('; '),
      target: 'linear',
    });
  }
  return figures;
}

// A phase child: `node --import tsx scripts/bench/curve.ts <dir> <phase>`.
if (isMainThread && process.argv[1] === fileURLToPath(import.meta.url)) {
  limitHeapGrowth();
  console.log(JSON.stringify(await run(process.argv[2]!, process.argv[3] as Phase)));
}
