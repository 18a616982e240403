/**
 * `npm run bench`: generate a corpus (1,000 statements by default, or
 * BENCH_STATEMENTS), then measure each stage on it, side by side with the
 * tool a user would pick instead where it is installed, and print the
 * figures; last, one table of every figure with its peer and target.
 * BENCH_SECTIONS=render,publish runs only the sections whose names start so.
 */
import { tmpdir, availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { generateCorpus, statementText } from './bench/corpus.ts';
import { resolveConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { buildProject } from '../pipeline/commands/build.ts';
import { exportXliff } from '../pipeline/commands/xliff.ts';
import { bench as core } from './bench/core.ts';
import { bench as render } from './bench/render.ts';
import { bench as check } from './bench/check.ts';
import { bench as publish } from './bench/publish.ts';
import { bench as translators } from './bench/translators.ts';
import { bench as curve } from './bench/curve.ts';
import { summaryTable } from './bench/summary.ts';
import { limitHeapGrowth } from './cli/heap.ts';
import { hideSdkNotices } from './cli/notices.ts';
import { clearAway, emptyTrash, settleFileSystem } from './bench/trash.ts';

/**
 * The first run after an install or a change of the tool builds the bundles
 * its worker threads load (pipeline/project/worker-bundle.ts), and later runs
 * find them: that first run is made here, untimed, on a project of four
 * statements with a worker for each command that has one.
 */
async function firstRun(): Promise<void> {
  const dir = path.join(tmpdir(), 'statements-bench-first-run');
  await clearAway(dir);
  await mkdir(path.join(dir, 'statements'), { recursive: true });
  for (let index = 0; index < 4; index++) await writeFile(path.join(dir, 'statements', `statement-${index}.md`), statementText(index));
  const config = resolveConfig({}, dir);
  await extractProject(config, { jobs: 2 });
  await buildProject(config, { jobs: 2 });
  await exportXliff(config, { locale: 'nl', jobs: 2 });
  await clearAway(dir);
}

// Measured as the CLI runs: with its heap policy (phase children set it too).
limitHeapGrowth();
hideSdkNotices();
const count = Number(process.env.BENCH_STATEMENTS ?? 1000);
const corpusDir = path.join(tmpdir(), 'statements-bench-corpus');
const sections: Array<[string, (dir: string) => Promise<Record<string, string | number>>]> = [
  ['extract + build', core],
  ['render', render],
  ['check', check],
  ['publish', publish],
  ['translators', translators],
  ['cost curve', curve],
];
const only = process.env.BENCH_SECTIONS?.split(',').map((name) => name.trim());

console.log(`machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
await firstRun();
const started = performance.now();
await clearAway(corpusDir);
await generateCorpus(corpusDir, count);
console.log(`corpus: ${count} statements in ${corpusDir} (generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
const waited = await settleFileSystem();
if (waited > 0) console.log(`waited ${waited.toFixed(1)} s, until the inodes the last bench freed no longer slow file creation`);
console.log('');
for (const [name, run] of sections) {
  if (only && !only.some((word) => name.startsWith(word))) continue;
  console.log(`## ${name}`);
  for (const [label, value] of Object.entries(await run(corpusDir))) console.log(`${label.padEnd(40)} ${value}`);
  console.log('');
}
console.log('## summary (ratio: how many times faster than the peer; above 1 is ahead)\n');
console.log(summaryTable());
await emptyTrash();
