/**
 * The one way a command works through the project's statements: each is
 * loaded as a unit (text, tree, catalog, keyed segments), what it throws stays
 * with it (`isolate`), statements whose inputs hash as last time are skipped
 * before parsing, and the rest run in this thread or sharded over workers.
 */
import { existsSync } from 'node:fs';
import type { Diagnostics } from '../diagnostics.ts';
import type { ResolvedConfig } from '../config.ts';
import {
  type Catalog,
  isolate,
  type Progress,
  readCatalog,
  openInputHashes,
  readStatementText,
  runInWorkers,
  type Feed,
  type InputHashes,
  statementInputsKey,
  UnreadInputs,
  type StatementEntry,
  workerCount,
  type WorkSize,
} from '../project/index.ts';
import { loadStatement } from '../parse/index.ts';
import { extractSegments } from '../extract/index.ts';
import type { Segment, Statement } from '../types.ts';

/** A statement as the commands work on it. */
export interface StatementUnit {
  entry: StatementEntry;
  text: string;
  statement: Statement;
  /** `catalog.ok` is false when a bundle or the state could not be read: nothing may be written over it. */
  catalog: Catalog;
  segments: Segment[];
}

/** Read, parse and key one statement; undefined when it does not parse (the reasons are on `diagnostics`). */
export async function loadUnit(entry: StatementEntry, config: ResolvedConfig, diagnostics: Diagnostics): Promise<StatementUnit | undefined> {
  const [text, catalog] = await Promise.all([readStatementText(entry, config), readCatalog(entry.slug, config, diagnostics)]);
  const statement = loadStatement(entry, text, config, diagnostics);
  if (!statement) return undefined;
  return { entry, text, statement, catalog, segments: extractSegments(statement, catalog) };
}

export interface EachOptions {
  /** Statements in flight at once. Default 16; fewer keeps fewer trees in memory. */
  concurrency?: number;
  /** Only units whose catalog could be read in full. Default true. */
  wholeCatalog?: boolean;
  /** Called for a statement that cannot be used or whose task threw (its reasons are reported already). */
  onFailure?: (entry: StatementEntry) => unknown;
}

/**
 * `task` for every entry, `concurrency` at a time, each isolated: what it
 * throws is reported on it, then `onFailure` runs. Results in the order the
 * entries were taken.
 */
async function eachIsolated<T>(
  entries: Feed<StatementEntry>,
  diagnostics: Diagnostics,
  task: (entry: StatementEntry) => Promise<T>,
  onFailure?: (entry: StatementEntry) => unknown,
  concurrency = 16,
): Promise<Array<T | undefined>> {
  // One iterator for all runners: an async generator answers their calls one after another.
  const iterator = (async function* () {
    yield* entries;
  })();
  const results: Array<T | undefined> = [];
  let taken = 0;
  const runner = async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const index = taken++;
      const entry = next.value;
      results[index] = await isolate(
        entry.file,
        diagnostics,
        () => task(entry),
        () => onFailure?.(entry),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, runner));
  return results;
}

/**
 * Run `task` on every usable statement of `entries`, each isolated from the
 * others. Returns the results in the order of `entries`, leaving out the
 * statements that failed or yielded nothing.
 */
export async function eachStatement<T>(
  entries: Feed<StatementEntry>,
  config: ResolvedConfig,
  diagnostics: Diagnostics,
  task: (unit: StatementUnit) => Promise<T | undefined> | T | undefined,
  options: EachOptions = {},
): Promise<T[]> {
  const wholeCatalog = options.wholeCatalog ?? true;
  const results = await eachIsolated(
    entries,
    diagnostics,
    async (entry) => {
      const unit = await loadUnit(entry, config, diagnostics);
      if (unit && (unit.catalog.ok || !wholeCatalog)) return task(unit);
      await options.onFailure?.(entry);
      return undefined;
    },
    options.onFailure,
    options.concurrency,
  );
  return results.filter((result): result is Awaited<T> => result !== undefined);
}

export interface ChangedStatements {
  /** The statements whose inputs changed, sorted by slug. */
  pending: StatementEntry[];
  /**
   * Remember the hashes the tasks report of the files they read (`readInputHashes`)
   * for statements whose inputs were not hashed here, then save what is known.
   */
  settle(read: InputHashes[]): Promise<void>;
}

/**
 * The statements whose inputs changed since the last run. Hashing what a
 * statement reads is cheap, parsing it is not, and a file unchanged since
 * the last run is not even read (`statementInputsKey`). `fresh` says whether
 * the cache already has a statement's exact input, given a way to hash its
 * files; when it can answer without, as for a statement never cached, the
 * files are left for its task to read once, and their hashes come back
 * through `settle`.
 */
export async function changedStatements(
  entries: StatementEntry[],
  config: ResolvedConfig,
  diagnostics: Diagnostics,
  fresh: (entry: StatementEntry, inputsKey: () => Promise<string>) => boolean | Promise<boolean>,
  onFailure?: (entry: StatementEntry) => unknown,
): Promise<ChangedStatements> {
  const pending: StatementEntry[] = [];
  const memo = await openInputHashes(config);
  const unread = new UnreadInputs(memo);
  await eachIsolated(
    entries,
    diagnostics,
    async (entry) => {
      let hashed = false;
      const isFresh = await fresh(entry, () => {
        hashed = true;
        return statementInputsKey(entry, config, memo);
      });
      if (!hashed) unread.note(entry, config);
      if (!isFresh) pending.push(entry);
    },
    onFailure,
  );
  return {
    pending: pending.sort((a, b) => a.slug.localeCompare(b.slug)),
    settle: async (read) => {
      for (const hashes of read) unread.learn(hashes);
      // Files of statements that are gone are forgotten; those this run did not look at are kept.
      await memo.save((file) => existsSync(file));
    },
  };
}

/**
 * Run a task over `entries`: in this thread, or over worker threads too when
 * there is enough work to pay for starting them (`workerCount`: `itemMs` is
 * about what one statement costs the task), each thread taking statements
 * from a shared queue (`runInWorkers`); not at all when there are no
 * entries. `task` must be exported by `module` as `name`, so a worker can load it.
 */
export async function runSharded<A extends unknown[], R>(
  module: URL,
  name: string,
  task: (entries: Feed<StatementEntry>, ...rest: A) => Promise<R>,
  entries: StatementEntry[],
  args: A,
  options: WorkSize & { progress?: Progress },
): Promise<R[]> {
  // Nothing changed: a task would only open again the caches its command has open.
  if (entries.length === 0) return [];
  const progress = options.progress ?? (() => {});
  const workers = workerCount(entries.length, options);
  if (workers > 1) return runInWorkers<StatementEntry, R>(module, name, entries, workers, args, progress);
  // As in a worker, the progress callback comes after the arguments.
  return [await (task as (...all: unknown[]) => Promise<R>)(entries, ...args, progress)];
}
