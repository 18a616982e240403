/**
 * How fast the host is right now: a fixed JavaScript workload (hashing and a
 * map, what extract and build spend their time on) timed in a fresh process.
 * On the 2-core VM it moves by a third within minutes, and every figure of a
 * few seconds moves with it; printed beside those figures, it tells a slow
 * host from a slower tool.
 */
import { spawnSync } from 'node:child_process';

const WORKLOAD = `
const { createHash } = require('node:crypto');
const started = performance.now();
let hash = 'x';
const seen = new Map();
for (let index = 0; index < 150000; index++) {
  hash = createHash('sha256').update(hash + index).digest('hex').slice(0, 16);
  seen.set(hash, { index, text: hash + index });
  if (seen.size > 50000) seen.clear();
}
console.log(performance.now() - started);
`;

/** Milliseconds the workload took. */
export function hostProbe(): number {
  const result = spawnSync(process.execPath, ['-e', WORKLOAD], { encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`host probe failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}
