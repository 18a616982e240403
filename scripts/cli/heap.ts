/**
 * How the CLI's process grows its heaps. V8 lets the old space grow up to
 * several times what survived the last full collection before it collects
 * again; each worker of a build does the same, so a build over every core
 * held 700 MB for a few hundred of live data. Growing by 20% keeps a build
 * of thousands of statements within a few hundred MB, for more collecting,
 * mostly on V8's background threads. V8's flags are the process's: set
 * before the first worker starts, they hold for every thread.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
