import { describe, expect, it } from 'vitest';
import { runInWorkers } from '../pipeline/project/pool.ts';

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
});
