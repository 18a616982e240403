/**
 * `statements check` on the generated corpus: offline checks per statement ×
 * locale against a full build of the same corpus, and online probing of 500
 * URLs served by a local HTTP server, with concurrency 16.
 */
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../pipeline/config.ts';
import { buildProject } from '../../pipeline/commands/build.ts';
import { checkProject } from '../../pipeline/commands/check.ts';
import { probeAll } from '../../pipeline/check/online.ts';
import { defaultSleep } from '../../pipeline/check/probe.ts';

/** Probe `count` local URLs (each answered after `delayMs`) with `concurrency` requests at a time. */
async function online(count: number, concurrency: number, delayMs: number): Promise<{ ms: number; ok: number }> {
  const server = http.createServer((_, response) => void setTimeout(() => response.writeHead(200).end(), delayMs));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const urls = Array.from({ length: count }, (_, index) => `${base}/page/${index}`);
    const started = performance.now();
    const results = await probeAll(
      urls,
      { concurrency, perHost: concurrency },
      { timeoutMs: 10_000, retries: 2, backoffMs: 100, maxRetryAfterMs: 5_000, maxRedirects: 5, sleep: defaultSleep },
    );
    return { ms: performance.now() - started, ok: [...results.values()].filter((result) => result.status === 200).length };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

export async function bench(corpusDir: string): Promise<Record<string, string | number>> {
  const outDir = await mkdtemp(path.join(tmpdir(), 'statements-bench-check-'));
  try {
    const config = { ...(await loadConfig(corpusDir)), outDir, cacheDir: path.join(outDir, '.cache') };
    let started = performance.now();
    const built = await buildProject(config, { force: true });
    const buildMs = performance.now() - started;
    started = performance.now();
    const report = await checkProject(config);
    const checkMs = performance.now() - started;
    const statements = new Set(built.documents.map((document) => document.slug)).size;
    const units = built.documents.length;
    const probes = await online(500, 16, 5);
    return {
      'statements × locales': units,
      'full build, forced (s)': +(buildMs / 1000).toFixed(2),
      'offline check (s)': +(checkMs / 1000).toFixed(2),
      'offline check per statement × locale (ms)': +(checkMs / units).toFixed(2),
      'offline check / build': `${Math.round((checkMs / buildMs) * 100)}% (target < 20%)`,
      'findings (errors / warnings)': `${report.errors} / ${report.warnings}`,
      statements,
      'online: 500 local URLs, concurrency 16 (s)': +(probes.ms / 1000).toFixed(2),
      'online: URLs/s (5 ms server latency)': Math.round(500 / (probes.ms / 1000)),
      'online: answered 200': probes.ok,
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
