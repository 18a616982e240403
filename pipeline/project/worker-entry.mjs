// Worker threads start here: plain JavaScript, so it can load the task from
// its bundle (worker-bundle.ts) or, without one, load the TypeScript loader
// before importing the task module (a worker does not inherit it).
import { parentPort, workerData } from 'node:worker_threads';

async function load() {
  if (workerData.bundle) return import(workerData.bundle);
  const { register } = await import('tsx/esm/api');
  register();
  const [task, { claimed }] = await Promise.all([import(workerData.module), import('./pool.ts')]);
  return { task, claimed };
}

const { task, claimed } = await load();
const progress = (count, totalChange = 0) => parentPort.postMessage({ progress: [count, totalChange] });
const result = await task[workerData.name](claimed(workerData.items, workerData.next), ...workerData.args, progress);
parentPort.postMessage({ result });
