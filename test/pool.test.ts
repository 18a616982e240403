import { describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { runInWorkers, WORK_PER_THREAD_MS, workerCount } from '../pipeline/project/pool.ts';

describe('the worker pool', () => {
  it('gives each item to exactly one thread, and a worker and this thread both take from the one queue', async () => {
    let started = () => {};
    (globalThis as { workerStarted?: Promise<void> }).workerStarted = new Promise<void>((resolve) => (started = resolve));
    const items = Array.from({ length: 40 }, (_, index) => index);
    const results = await runInWorkers<number, Array<[number, boolean]>>(new URL('./fixtures/pool-task.ts', import.meta.url), 'takeAll', items, 2, [], () =>
      started(),
    );
    const taken = results.flat();
    expect(taken.map(([item]) => item).sort((a, b) => a - b)).toEqual(items);
    expect(taken.filter(([, main]) => main).length).toBeGreaterThan(0);
    expect(taken.filter(([, main]) => !main).length).toBeGreaterThan(0);
  });

  it('adds a thread only for work enough to pay for its start: one per WORK_PER_THREAD_MS, up to every core', () => {
    const per = WORK_PER_THREAD_MS;
    // 1,000 extracts of 6 ms are one thread's work; 1,000 builds of 45 ms are several threads'.
    expect(workerCount(1000, { itemMs: 6 })).toBe(Math.min(availableParallelism(), Math.ceil((1000 * 6) / per)));
    expect(workerCount(1000, { itemMs: 45 })).toBe(Math.min(availableParallelism(), Math.ceil((1000 * 45) / per)));
    expect(workerCount(1, { itemMs: 10 * per })).toBe(1);
    expect(workerCount(3, { itemMs: 1, jobs: 8 })).toBe(3);
  });
});
