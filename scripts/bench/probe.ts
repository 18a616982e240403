/**
 * How fast the host is right now: a fixed JavaScript workload (hashing and a
 * map, what extract and build spend their time on) timed in a fresh process,
 * alone and then as two processes at once, as a cold extract keeps both
 * cores busy. On the 2-core VM both move by a third within minutes, and
 * every figure of a few seconds moves with them; printed beside those
 * figures, they tell a slow host from a slower tool.
 */
import { spawn } from 'node:child_process';

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

/** Milliseconds the workload took in one process. */
function run(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WORKLOAD], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(Number(output.trim())) : reject(new Error(`host probe failed: ${output}`))));
  });
}

/** Milliseconds the workload took alone, and in the slower of two processes run at once. */
export async function hostProbe(): Promise<{ alone: number; paired: number }> {
  const alone = await run();
  const paired = Math.max(...(await Promise.all([run(), run()])));
  return { alone, paired };
}
