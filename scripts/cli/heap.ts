/**
 * How the CLI's process grows its heaps. V8 lets the old space grow up to
 * several times what survived the last full collection before it collects
 * again; each worker of a build does the same, so a build over every core
 * held 700 MB for a few hundred of live data. Growing by 50% keeps a cold
 * extract and build of 1,000 statements over both cores under 400 MB (370–380
 * measured, 430 at 100%), for more collecting, mostly on V8's background
 * threads; 20% held it at 345 MB but rendered pages a third slower, in
 * collections. V8's flags are the process's: set before the first worker
 * starts, they hold for every thread.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
