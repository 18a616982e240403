/**
 * Work spread over every core: each thread (this one and workers) runs the
 * same exported task function, which takes its statements from a feed: the
 * list, claimed a few at a time through a counter the threads share. A
 * worker claims its first statements once it has started (a few hundred
 * milliseconds, loading the modules), so this thread does more in the
 * meantime, and the threads end together whatever the statements cost. The
 * counter is shared memory, not messages: this thread's own work keeps its
 * event loop busy, and would answer a worker's request only when done.
 * Results come back in thread order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { markWriting } from './fs.ts';
import { taskBundle } from './worker-bundle.ts';

/**
 * Work a thread must have, in milliseconds of its own time, before another
 * one pays for itself, unless the task says otherwise (`threadMs`). A worker
 * costs its start (loading its task's bundle, worker-bundle.ts) and its own
 * compiler warm-up, and on two cores it competes with V8's compiler and
 * garbage-collector threads, which take a good part of the second core from
 * a run in one thread. Measured on the 2-core machine: a build of 100
 * statements (4.6 s in one thread) was no faster on two threads, one of 200
 * (9.4 s) 1.15× faster.
 */
export const WORK_PER_THREAD_MS = 7_000;

/** Statements a thread takes from the queue at once: few, so the threads end close together. */
const BATCH = 4;

/** How much work a task has, and what a thread must have of it. */
export interface WorkSize {
  /** What one item costs, in milliseconds. */
  itemMs: number;
  /** Work a thread must have to pay for itself. Default `WORK_PER_THREAD_MS`. */
  threadMs?: number;
  /** Threads asked for; 1 keeps the work in this thread. */
  jobs?: number;
}

/**
 * How many threads (this one and workers) to use for `count` items of about
 * `itemMs` each: one per `threadMs` of work, up to every core and no more
 * than items. An explicit `jobs` is taken as it is, however little the work.
 */
export function workerCount(count: number, { itemMs, threadMs = WORK_PER_THREAD_MS, jobs }: WorkSize): number {
  if (jobs !== undefined) return Math.max(1, Math.min(jobs, count));
  return Math.max(1, Math.min(availableParallelism(), count, Math.ceil((count * itemMs) / threadMs)));
}

/**
 * Counts progress from inside a task (`count` units done; `totalChange` when
 * the task learns there are more or fewer units than assumed); in a worker
 * it crosses to the main thread.
 */
export type Progress = (count: number, totalChange?: number) => void;

/** Where a task takes its items from: a list, or the queue of a pool. Each item is taken by one thread only. */
export type Feed<T> = Iterable<T> | AsyncIterable<T>;

/** The items of `feed` as they are taken, each also added to `taken`. */
export async function* tapFeed<T>(feed: Feed<T>, taken: T[]): AsyncGenerator<T> {
  for await (const item of feed) {
    taken.push(item);
    yield item;
  }
}

type Report = { progress: [number, number] } | { result: unknown };

/** The items of `items` this thread claims, `BATCH` at a time, through the shared counter `next`. */
export function* claimed<T>(items: T[], next: Int32Array): Generator<T> {
  for (let at = Atomics.add(next, 0, BATCH); at < items.length; at = Atomics.add(next, 0, BATCH)) yield* items.slice(at, at + BATCH);
}

/**
 * Run `module`'s export `name` once per thread, `threads` in all, with
 * `(feed, ...args, progress)`: in this thread, which has the modules loaded
 * already, and in `threads - 1` workers (each one a heap and a start-up of
 * its own). Arguments, items and results must be structured-cloneable.
 */
export async function runInWorkers<T, R>(module: URL, name: string, items: T[], threads: number, args: unknown[], onProgress?: Progress): Promise<R[]> {
  // Workers may write temp files: the runs in progress are marked first (`whileWriting`).
  markWriting();
  const next = new Int32Array(new SharedArrayBuffer(4));
  // Had before this thread starts on its share: its work runs on promises that
  // are always ready, so nothing else (esbuild's answer, a stat) would get a turn until it ends.
  const bundle = threads > 1 ? (await taskBundle(module))?.href : undefined;
  const workers = Array.from({ length: threads - 1 }, () => inWorker<R>({ module: module.href, bundle, name, items, next, args }, onProgress));
  const task = (await import(module.href))[name] as (...all: unknown[]) => Promise<R>;
  return Promise.all([task(claimed(items, next), ...args, onProgress ?? (() => {})), ...workers]);
}

/** What a worker is told: its task (from the bundle when there is one) and the shared queue. */
export interface WorkerOrders {
  module: string;
  bundle?: string;
  name: string;
  items: unknown[];
  next: Int32Array;
  args: unknown[];
}

/** Options of this process a worker refused, as Node names them (`--stack-size=2000`, `--title`). */
const refused = new Set<string>();

/** `execArgv` without the refused options, and the value that follows one given as two items (`--title press`). */
function acceptedExecArgv(execArgv: string[]): string[] {
  return execArgv.filter((arg, index) => {
    if (refused.has(arg)) return false;
    // In execArgv an item that is not an option is the value of the one before it.
    const before = execArgv[index - 1];
    return !(before !== undefined && refused.has(before) && !before.includes('=') && !arg.startsWith('-'));
  });
}

/**
 * A worker with `execArgv`, less the options Node refuses in a worker: V8's
 * (`--stack-size=…`, `--max-old-space-size=…`) and others that are the
 * process's, such as `--title`. Those hold for every thread already; Node
 * names them only in its error, so the first refusal teaches which they are.
 */
function startWorker(entry: URL, workerData: unknown, execArgv: string[]): Worker {
  const accepted = acceptedExecArgv(execArgv);
  try {
    return new Worker(entry, { workerData, execArgv: accepted });
  } catch (caught) {
    const error = caught as NodeJS.ErrnoException;
    if (error.code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw caught;
    // `Initiated Worker with invalid execArgv flags: --a=1, --b`
    const named = error.message.slice(error.message.indexOf(': ') + 2).split(', ');
    // Each retry leaves out at least one more option, so it ends.
    const newly = named.filter((arg) => accepted.includes(arg));
    if (newly.length === 0) throw caught;
    for (const arg of newly) refused.add(arg);
    return startWorker(entry, workerData, execArgv);
  }
}

/** One worker running its orders; its answer. `execArgv`: the Node options it is asked to run with, by default this process's. */
export function inWorker<R>(orders: WorkerOrders, onProgress?: Progress, execArgv = process.execArgv): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const worker = startWorker(new URL('./worker-entry.mjs', import.meta.url), orders, orders.bundle ? withoutTsx(execArgv) : execArgv);
    let settled = false;
    worker.on('message', (message: Report) => {
      if ('progress' in message) return onProgress?.(...message.progress);
      settled = true;
      resolve(message.result as R);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker for ${orders.name} exited with code ${code} before answering`));
    });
  });
}

/** The parent's Node options but tsx's loader: a bundle needs none, and loading it would only slow the start. */
export function withoutTsx(execArgv: string[]): string[] {
  const loader = (option: string | undefined, value: string | undefined) =>
    (option === '--import' || option === '--require' || option === '--loader') && value !== undefined && /(^|\/)tsx(\/|$)/.test(value);
  return execArgv.filter(
    (arg, index) => !loader(execArgv[index - 1], arg) && !loader(arg, execArgv[index + 1]) && !/^--(?:import|require|loader)=.*\btsx\b/.test(arg),
  );
}
