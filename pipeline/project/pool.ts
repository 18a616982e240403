/**
 * Work spread over every core: a list of statements is cut into one shard per
 * core, each shard runs the same exported task function as a small list
 * would run in-process (the first in this thread, the others in worker
 * threads), and the results come back in shard order.
 * Starting a worker costs a few hundred milliseconds, so small lists stay here.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** Below this many statements the start-up of workers costs more than it saves. */
export const PARALLEL_THRESHOLD = 48;

/**
 * How many threads (this one and workers) to use for `count` statements: one per
 * `PARALLEL_THRESHOLD` statements, up to every core. An explicit `jobs` is
 * taken as it is, however few the statements (1 = in-process).
 */
export function workerCount(count: number, jobs?: number): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, count));
  return count < PARALLEL_THRESHOLD ? 1 : Math.min(availableParallelism(), Math.ceil(count / PARALLEL_THRESHOLD));
}

/** Cut `items` into `count` interleaved shards, so slow and fast items spread evenly. */
export function shards<T>(items: T[], count: number): T[][] {
  const result: T[][] = Array.from({ length: count }, () => []);
  items.forEach((item, index) => result[index % count]!.push(item));
  return result.filter((shard) => shard.length > 0);
}

/**
 * Counts progress from inside a task (`count` units done; `totalChange` when
 * the task learns there are more or fewer units than assumed); in a worker
 * it crosses to the main thread.
 */
export type Progress = (count: number, totalChange?: number) => void;

/**
 * Run `module`'s export `name` once per shard, with `(shard, ...args,
 * progress)`: the first shard in this thread, which has the modules loaded
 * already, the others in worker threads (each one a heap and a start-up of
 * its own). Arguments and results must be structured-cloneable.
 */
export async function runInWorkers<T, R>(module: URL, name: string, parts: T[][], args: unknown[], onProgress?: Progress): Promise<R[]> {
  const [own, ...others] = parts;
  const workers = others.map((shard) => inWorker<R>(module, name, [shard, ...args], onProgress));
  if (own === undefined) return Promise.all(workers);
  const task = (await import(module.href))[name] as (...all: unknown[]) => Promise<R>;
  return Promise.all([task(own, ...args, onProgress ?? (() => {})), ...workers]);
}

function inWorker<R>(module: URL, name: string, args: unknown[], onProgress?: Progress): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: { module: module.href, name, args } });
    let settled = false;
    worker.on('message', (message: { progress: [number, number] } | { result: R }) => {
      if ('progress' in message) return onProgress?.(...message.progress);
      settled = true;
      resolve(message.result);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker for ${name} exited with code ${code} before answering`));
    });
  });
}
