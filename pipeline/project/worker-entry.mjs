// Worker threads start here: plain JavaScript, so it can load the TypeScript
// loader before importing the task module (a worker does not inherit it).
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const [task, { claimed }] = await Promise.all([import(workerData.module), import('./pool.ts')]);
const progress = (count, totalChange = 0) => parentPort.postMessage({ progress: [count, totalChange] });
const result = await task[workerData.name](claimed(workerData.items, workerData.next), ...workerData.args, progress);
parentPort.postMessage({ result });
