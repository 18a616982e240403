/**
 * Writes the tree digests of the parse cases (`parse-cases.ts`) as an install
 * without our dependency patches makes them, for test/parse.test.ts to hold
 * the patched parser to. Run it in a checkout installed with
 * `npm ci --ignore-scripts`: `node --import tsx test/support/stock-trees.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { STOCK_TREES, treeDigests } from './parse-cases.ts';

mkdirSync(path.dirname(STOCK_TREES), { recursive: true });
writeFileSync(STOCK_TREES, `${JSON.stringify(treeDigests(), null, 2)}\n`);
