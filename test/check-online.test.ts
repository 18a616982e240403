/**
 * `statements check --online` against servers this test starts on
 * 127.0.0.1 (never the internet): an HTTP server answering 200, 301, 302,
 * 404, 405 to HEAD, 429 with Retry-After, 500 then 200, 503 for good and a
 * response slower than the timeout; and a DNS server answering MX queries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { makeProject } from './helpers.ts';
import { check, placesOf, type Finding } from './check-support.ts';
import { probeAll } from '../pipeline/check/online.ts';
import type { ProbeOptions } from '../pipeline/check/probe.ts';

/** Generous, so that a busy machine never turns a quick answer into a timeout. */
const TIMEOUT = 1500;

interface Seen {
  method: string;
  path: string;
}

let server: http.Server;
let base: string;
const seen: Seen[] = [];
let inFlight = 0;
let maxInFlight = 0;
const answered = new Map<string, number>();

function route(request: http.IncomingMessage, response: http.ServerResponse) {
  const url = request.url ?? '/';
  const count = (answered.get(url) ?? 0) + 1;
  answered.set(url, count);
  seen.push({ method: request.method ?? '', path: url });
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  response.on('close', () => inFlight--);
  const send = (status: number, headers: Record<string, string> = {}) => {
    // Hold each answer a moment so that concurrent requests overlap.
    setTimeout(() => response.writeHead(status, headers).end(request.method === 'HEAD' ? undefined : `status ${status}`), 20);
  };
  const name = url.replace(/^\/(\w[\w-]*).*$/, '$1');
  switch (name) {
    case 'ok':
      return send(200);
    case 'moved':
      return send(301, { location: '/ok' });
    case 'temp':
      return send(302, { location: '/ok' });
    case 'gone':
      return send(404);
    case 'head-refused':
      return send(request.method === 'HEAD' ? 405 : 200);
    case 'busy':
      return count === 1 ? send(429, { 'retry-after': '1' }) : send(200);
    case 'flaky':
      return count === 1 ? send(500) : send(200);
    case 'down':
      return send(503);
    case 'slow':
      return void setTimeout(() => response.destroyed || response.writeHead(200).end(), 4 * TIMEOUT).unref();
    default:
      return send(404);
  }
}

/** A DNS server that knows one mail domain, `acme.test`, and nothing else. */
function dnsServer(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    let offset = 12;
    const labels: string[] = [];
    while (query[offset] !== 0) {
      const length = query[offset]!;
      labels.push(query.subarray(offset + 1, offset + 1 + length).toString());
      offset += length + 1;
    }
    const type = query.readUInt16BE(offset + 1);
    const question = query.subarray(12, offset + 5);
    const name = labels.join('.').toLowerCase();
    const known = name === 'acme.test';
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(known ? 0x8180 : 0x8183, 2);
    header.writeUInt16BE(1, 4);
    const answers: Buffer[] = [];
    if (known && type === 15) {
      const exchange = Buffer.concat([
        ...'mail.acme.test'.split('.').map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label)])),
        Buffer.from([0]),
      ]);
      const fixed = Buffer.alloc(12);
      fixed.writeUInt16BE(0xc00c, 0);
      fixed.writeUInt16BE(15, 2);
      fixed.writeUInt16BE(1, 4);
      fixed.writeUInt32BE(60, 6);
      fixed.writeUInt16BE(2 + exchange.length, 10);
      answers.push(fixed, Buffer.from([0, 10]), exchange);
      header.writeUInt16BE(1, 6);
    }
    socket.send(Buffer.concat([header, question, ...answers]), peer.port, peer.address);
  });
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve(socket)));
}

let dns: dgram.Socket;

beforeAll(async () => {
  server = http.createServer(route);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dns = await dnsServer();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => dns.close(() => resolve(undefined)));
});

const paths = ['ok', 'moved', 'temp', 'gone', 'head-refused', 'busy', 'flaky', 'down', 'slow'];

async function onlineProject(): Promise<string> {
  const links = paths.map((name) => `[${name}](${base}/${name})`).join(', ');
  const body = `Links: ${links}.\n\nWrite to press@acme.test or to [sales](mailto:sales@nomail.test) for anything else.\n`;
  const dnsPort = (dns.address() as AddressInfo).port;
  return makeProject({
    'statements/online.md': `---\ntitle: Online\ndate: "2024-01-01"\nlang: en\nlocales: [en]\n---\n\n${body}`,
    'statements.config.json': JSON.stringify({
      locales: ['en'],
      checks: { online: { timeoutMs: TIMEOUT, retries: 2, backoffMs: 1, perHost: 2, dnsServers: [`127.0.0.1:${dnsPort}`] } },
    }),
  });
}

const requests = (name: string) => seen.filter((item) => item.path === `/${name}`).map((item) => item.method);

describe('check --online', () => {
  let first: Finding[];
  let second: Finding[];
  const waits: number[] = [];
  let root: string;
  let before: Map<string, number>;

  beforeAll(async () => {
    root = await onlineProject();
    const sleep = async (ms: number) => void waits.push(ms);
    first = (await check(root, { online: true, probe: { sleep } })).all;
    before = new Map(paths.map((name) => [name, requests(name).length]));
    second = (await check(root, { online: true, probe: { sleep } })).all;
  });

  const about = (all: Finding[], name: string) => all.filter((finding) => finding.message.startsWith(`Link \`${base}/${name}\``));
  const at = (all: Finding[], name: string) => about(all, name).map((finding) => `${finding.rule} ${finding.severity}`);

  it('accepts a 200 without a finding and probes it with HEAD only', () => {
    expect(at(first, 'ok')).toEqual([]);
    expect(requests('ok').slice(0, 1)).toEqual(['HEAD']);
  });

  it('follows redirects and reports a permanent one as a warning with the new URL, a temporary one as info', () => {
    expect(at(first, 'moved')).toEqual(['link-redirect warning']);
    expect(about(first, 'moved')[0]!.message).toBe(`Link \`${base}/moved\` moved permanently (301) to \`${base}/ok\`, expected the new URL`);
    expect(at(first, 'temp')).toEqual(['link-redirect info']);
  });

  it('reports a 404 as a dead link, after trying GET as well', () => {
    expect(at(first, 'gone')).toEqual(['link-dead error']);
    expect(requests('gone').slice(0, 2)).toEqual(['HEAD', 'GET']);
  });

  it('falls back to GET when HEAD is refused', () => {
    expect(at(first, 'head-refused')).toEqual([]);
    expect(requests('head-refused').slice(0, 2)).toEqual(['HEAD', 'GET']);
  });

  it('retries a 429 after the Retry-After it asks for, and a 500 after a backoff', () => {
    expect(at(first, 'busy')).toEqual([]);
    expect(at(first, 'flaky')).toEqual([]);
    expect(before.get('busy')).toBe(2);
    expect(before.get('flaky')).toBe(2);
    expect(waits).toContain(1000);
    expect(waits).toContain(1);
  });

  it('reports a server that keeps failing, and one slower than the timeout, as unreachable', () => {
    expect(at(first, 'down')).toEqual(['link-unreachable warning']);
    expect(about(first, 'down')[0]!.message).toBe(`Link \`${base}/down\` answers 503 after 3 attempts`);
    expect(at(first, 'slow')).toEqual(['link-unreachable warning']);
    expect(about(first, 'slow')[0]!.message).toBe(`Link \`${base}/slow\` did not answer within ${TIMEOUT / 1000} s`);
  });

  it('keeps to the per-host limit of parallel requests', () => {
    expect(maxInFlight).toBeGreaterThan(0);
    expect(maxInFlight).toBeLessThanOrEqual(2);
  });

  it('answers a second run from the cache, probing again only what had no definite answer', () => {
    expect(existsSync(path.join(root, '.cache', 'links.json'))).toBe(true);
    for (const name of ['ok', 'moved', 'temp', 'gone', 'head-refused', 'busy', 'flaky'])
      expect([name, requests(name).length]).toEqual([name, before.get(name)]);
    expect(requests('down').length).toBeGreaterThan(before.get('down')!);
    expect(second.filter((finding) => finding.rule.startsWith('link-'))).toEqual(first.filter((finding) => finding.rule.startsWith('link-')));
  });

  it('reports an email domain without MX record, and accepts one with', async () => {
    const lines = (await readFile(path.join(root, 'statements', 'online.md'), 'utf8')).split('\n');
    const line = lines.findIndex((text) => text.includes('[sales]'));
    expect(placesOf(first, 'mail-domain')).toEqual([`statements/online.md:${line + 1}:${lines[line]!.indexOf('[sales]') + 1} error`]);
    expect(first.find((finding) => finding.rule === 'mail-domain')!.message).toBe('Mail domain `nomail.test` has no MX record: mail to it cannot be delivered');
  });

  it('probes again once the cached answers are older than their time to live', async () => {
    const count = requests('head-refused').length;
    await check(
      root,
      { online: true, probe: { sleep: async () => undefined } },
      { checks: { online: { timeoutMs: TIMEOUT, retries: 0, perHost: 2, mx: false, cacheTtlHours: 0 } } },
    );
    expect(requests('head-refused').length).toBe(count + 2);
  });

  it('probes nothing offline', async () => {
    const count = seen.length;
    const { all } = await check(root);
    expect(seen.length).toBe(count);
    expect(all.filter((finding) => finding.rule.startsWith('link-') || finding.rule === 'mail-domain')).toEqual([]);
  });

  it('runs many probes with bounded concurrency', async () => {
    const urls = Array.from({ length: 40 }, (_, index) => `${base}/ok?n=${index}`);
    const options: ProbeOptions = { timeoutMs: 2000, retries: 0, backoffMs: 1, maxRetryAfterMs: 0, maxRedirects: 5, sleep: async () => undefined };
    maxInFlight = 0;
    const results = await probeAll(urls, { concurrency: 4, perHost: 16 }, options);
    expect([...results.values()].map((result) => result.status)).toEqual(urls.map(() => 200));
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });
});
