/**
 * `npm run bench`: generate a corpus (1,000 statements by default, or
 * BENCH_STATEMENTS), then measure each stage on it and print the figures.
 */
import { tmpdir, availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { generateCorpus } from './bench/corpus.ts';
import { bench as core } from './bench/core.ts';
import { bench as render } from './bench/render.ts';
import { bench as check } from './bench/check.ts';
import { bench as publish } from './bench/publish.ts';
import { bench as translators } from './bench/translators.ts';

const count = Number(process.env.BENCH_STATEMENTS ?? 1000);
const corpusDir = path.join(tmpdir(), 'statements-bench-corpus');
const sections: Array<[string, (dir: string) => Promise<Record<string, string | number>>]> = [
  ['extract + build', core],
  ['render', render],
  ['check', check],
  ['publish', publish],
  ['translators', translators],
];

console.log(`machine: ${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
const started = performance.now();
await generateCorpus(corpusDir, count);
console.log(`corpus: ${count} statements in ${corpusDir} (generated in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
for (const [name, run] of sections) {
  console.log(`## ${name}`);
  for (const [label, value] of Object.entries(await run(corpusDir))) console.log(`${label.padEnd(40)} ${value}`);
  console.log('');
}
