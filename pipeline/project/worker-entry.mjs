// Worker threads start here: plain JavaScript, so it can load the TypeScript
// loader before importing the task module (a worker does not inherit it).
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const task = await import(workerData.module);
const progress = (count, totalChange = 0) => parentPort.postMessage({ progress: [count, totalChange] });
// The task's feed: batches asked of the main thread's queue until it gives an empty one.
const ask = () =>
  new Promise((resolve) => {
    parentPort.once('message', resolve);
    parentPort.postMessage({ more: true });
  });
async function* feed() {
  for (let batch = await ask(); batch.length > 0; batch = await ask()) yield* batch;
}
const result = await task[workerData.name](feed(), ...workerData.args, progress);
parentPort.postMessage({ result });
