#!/usr/bin/env node
// The CLI is written in TypeScript; tsx loads it without a build step,
// so `npx statements` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
await import('../scripts/statements.ts');
