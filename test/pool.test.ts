import { describe, expect, it } from 'vitest';
import { chmod, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inWorker, runInWorkers, WORK_PER_THREAD_MS, withoutTsx, workerCount } from '../pipeline/project/pool.ts';
import { taskBundle } from '../pipeline/project/worker-bundle.ts';
import { fixtures, inOneWorker, repoRoot } from './helpers.ts';

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

  it('adds a thread only for work enough to pay for its start: one per WORK_PER_THREAD_MS, or the task’s own threadMs, up to every core', () => {
    const per = WORK_PER_THREAD_MS;
    const cores = availableParallelism();
    expect(workerCount(100, { itemMs: 45 })).toBe(Math.min(cores, Math.ceil((100 * 45) / per)));
    expect(workerCount(1000, { itemMs: 45 })).toBe(Math.min(cores, Math.ceil((1000 * 45) / per)));
    // A thread that starts cheaply pays for itself with less work.
    expect(workerCount(1000, { itemMs: 6, threadMs: per })).toBe(1);
    expect(workerCount(1000, { itemMs: 6, threadMs: 3000 })).toBe(Math.min(cores, 2));
    expect(workerCount(1, { itemMs: 10 * per })).toBe(1);
    expect(workerCount(3, { itemMs: 1, jobs: 8 })).toBe(3);
  });
});

describe('a bundled worker’s options', () => {
  it('are the parent’s Node options without tsx’s loader', () => {
    expect(withoutTsx(['--import', 'tsx', '--enable-source-maps', '--import=tsx/esm', '--require', './setup.cjs', '--conditions', 'development'])).toEqual([
      '--enable-source-maps',
      '--require',
      './setup.cjs',
      '--conditions',
      'development',
    ]);
  });
});

describe('a worker started with the options of a process run with V8 flags', () => {
  it('runs with the options a worker accepts, without those Node refuses in one (V8’s, --title and its value), which hold for every thread anyway', async () => {
    const orders = { module: new URL('./fixtures/pool-task.ts', import.meta.url).href, name: 'nodeOptions', items: [], args: [] };
    const refused = ['--stack-size=2000', '--title', 'press', '--max-old-space-size=4096'];
    const execArgv = [...process.execArgv, '--no-deprecation', ...refused, '--enable-source-maps'];
    for (let run = 0; run < 2; run++) {
      const options = await inWorker<string[]>({ ...orders, next: new Int32Array(new SharedArrayBuffer(4)) }, undefined, execArgv);
      expect(options).toEqual(expect.arrayContaining(['--no-deprecation', '--enable-source-maps']));
      expect(options.filter((option) => refused.includes(option))).toEqual([]);
    }
  });
});

describe('the task bundle a worker loads', () => {
  const temp = (prefix: string) => mkdtemp(path.join(tmpdir(), prefix));
  /** A task module of its own folder whose `answer()` is `answer`. */
  const answering = async (answer: number) => {
    const module = pathToFileURL(path.join(await temp('task-'), 'task.ts'));
    await writeFile(module, answers(answer));
    return module;
  };
  const answers = (answer: number) => `export const answer = (): number => ${answer};\n`;
  /** The install's folder, where nothing can be written (a file stands in its way, which stops root too), then the user's own folder. */
  const blockedInstall = async () => {
    const [blocked, userDir] = await Promise.all([temp('install-'), temp('user-cache-')]);
    await writeFile(path.join(blocked, 'cache'), '');
    return { userDir, folders: [{ dir: path.join(blocked, 'cache', 'workers') }, { dir: userDir, own: true }] };
  };

  it('holds the task and the queue, and each module in it still finds the files beside it', async () => {
    const cacheDir = await temp('bundles-');
    const bundle = await taskBundle(pathToFileURL(path.join(fixtures, 'bundle', 'located.ts')), [{ dir: cacheDir }]);
    expect(path.dirname(fileURLToPath(bundle!))).toBe(cacheDir);
    const { task, claimed } = await import(bundle!.href);
    expect([...claimed(['a', 'b'], new Int32Array(new SharedArrayBuffer(4)))]).toEqual(['a', 'b']);
    expect(task.locations()).toEqual({
      module: path.join(fixtures, 'bundle', 'located.ts'),
      dirname: path.join(fixtures, 'bundle'),
      mention: "__module_url's text",
      commonJs: { dirname: path.join(fixtures, 'bundle'), filename: path.join(fixtures, 'bundle', 'located.cjs') },
      resolved: path.join(fixtures, 'bundle', 'located.cjs'),
    });
  });

  it('is kept while the files it was built from are unchanged, and built again when one changes', async () => {
    const [cacheDir, module] = await Promise.all([temp('bundles-'), answering(1)]);
    const first = await taskBundle(module, [{ dir: cacheDir }]);
    const built = (await stat(first!)).mtimeMs;
    expect((await taskBundle(module, [{ dir: cacheDir }]))?.href).toBe(first!.href);
    expect((await stat(first!)).mtimeMs).toBe(built);
    await writeFile(module, answers(2));
    const again = await taskBundle(module, [{ dir: cacheDir }]);
    expect((await import(`${again!.href}?changed`)).task.answer()).toBe(2);
  });

  it('is built again when its file has gone, and a new bundle never takes the name of an older one', async () => {
    const [cacheDir, module] = await Promise.all([temp('bundles-'), answering(1)]);
    const first = await taskBundle(module, [{ dir: cacheDir }]);
    await rm(first!);
    const again = await taskBundle(module, [{ dir: cacheDir }]);
    expect((await import(`${again!.href}?again`)).task.answer()).toBe(1);
    await writeFile(module, answers(3));
    const changed = await taskBundle(module, [{ dir: cacheDir }]);
    // Named by content: a process still building from the older file could not write over this one.
    expect(changed!.href).not.toBe(again!.href);
    expect((await import(changed!.href)).task.answer()).toBe(3);
  });

  it('is used but not kept when a file it came from changed while it was built', async () => {
    const [cacheDir, module] = await Promise.all([temp('bundles-'), answering(1)]);
    // Modified after the build started, as a save in an editor during the build would be.
    const later = new Date(Date.now() + 60_000);
    await utimes(module, later, later);
    const first = await taskBundle(module, [{ dir: cacheDir }]);
    expect((await import(first!.href)).task.answer()).toBe(1);
    const built = (await stat(first!)).mtimeMs;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await taskBundle(module, [{ dir: cacheDir }]);
    expect((await stat(first!)).mtimeMs).toBeGreaterThan(built);
  });

  it('is kept in the user’s cache folder when the install’s cannot be written, and found there again', async () => {
    const [{ userDir, folders }, module] = await Promise.all([blockedInstall(), answering(4)]);
    const first = await taskBundle(module, folders);
    expect(path.dirname(fileURLToPath(first!))).toBe(userDir);
    expect((await import(first!.href)).task.answer()).toBe(4);
    const built = (await stat(first!)).mtimeMs;
    expect((await taskBundle(module, folders))?.href).toBe(first!.href);
    expect((await stat(first!)).mtimeMs).toBe(built);
  });

  it('is neither kept nor found in a user’s folder that others can write to', async () => {
    const [{ userDir, folders }, module] = await Promise.all([blockedInstall(), answering(6)]);
    expect(await taskBundle(module, folders)).toBeDefined();
    await chmod(userDir, 0o777);
    expect(await taskBundle(module, folders)).toBeUndefined();
  });

  it('is built again when its record is torn', async () => {
    const [cacheDir, module] = await Promise.all([temp('bundles-'), answering(7)]);
    await taskBundle(module, [{ dir: cacheDir }]);
    const record = (await readdir(cacheDir)).find((file) => file.endsWith('.json'))!;
    await writeFile(path.join(cacheDir, record), '{"bundle": "../../elsewhere.mjs", "inp');
    const again = await taskBundle(module, [{ dir: cacheDir }]);
    expect(path.dirname(fileURLToPath(again!))).toBe(cacheDir);
    expect((await import(`${again!.href}?torn`)).task.answer()).toBe(7);
  });

  it('records the TypeScript settings among the files it was built from', async () => {
    const [cacheDir, module] = await Promise.all([temp('bundles-'), answering(5)]);
    await taskBundle(module, [{ dir: cacheDir }]);
    const record = (await readdir(cacheDir)).find((file) => file.endsWith('.json'))!;
    const { inputs } = JSON.parse(await readFile(path.join(cacheDir, record), 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining([fileURLToPath(module), path.join(repoRoot, 'tsconfig.json')]));
  });

  it('is not had for a task that does not build, and a worker told of no bundle loads its task through tsx', async () => {
    const [cacheDir, source] = await Promise.all([temp('bundles-'), temp('task-')]);
    const module = pathToFileURL(path.join(source, 'task.ts'));
    await writeFile(module, `export { nothing } from './missing.ts';\n`);
    expect(await taskBundle(module, [{ dir: cacheDir }])).toBeUndefined();

    const items = [1, 2, 3];
    const taken = await inOneWorker<Array<[number, boolean]>>(new URL('./fixtures/pool-task.ts', import.meta.url), 'takeAll', items, []);
    expect(taken).toEqual(items.map((item) => [item, false]));
  });
});
