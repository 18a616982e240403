#!/usr/bin/env node
// The CLI is written in TypeScript; tsx loads it without a build step,
// so `npx statements` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { limitHeapGrowth } = await import('../scripts/cli/heap.ts');
limitHeapGrowth();
const { hideSdkNotices } = await import('../scripts/cli/notices.ts');
hideSdkNotices();
const { main, internalError } = await import('../scripts/statements.ts');
const io = { stdout: process.stdout, stderr: process.stderr };

// Also for what escapes the command's promise (a stream's error event, a promise nobody awaited).
process.on('uncaughtException', (error) => process.exit(internalError(error, io)));
process.on('unhandledRejection', (error) => process.exit(internalError(error, io)));

// `statements status | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv.slice(2), io);
