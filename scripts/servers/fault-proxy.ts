/**
 * A fault-injecting HTTP proxy on 127.0.0.1 in front of the S3 server. It
 * records every request (so "a no-op publish makes zero PUTs" is counted, not
 * hoped), answers `503 SlowDown` or resets the connection for a given
 * fraction of requests (deterministic: seeded), and can stop answering
 * altogether after a number of PUTs, to cut a publish off part-way.
 */
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** Path below the bucket, without the query: `bucket/prefix/key`. */
  path: string;
  query: string;
  /** What the proxy did with it. */
  outcome: 'forwarded' | 'slowdown' | 'reset' | 'down' | 'refused';
  /** The request's `If-None-Match` header. */
  ifNoneMatch?: string;
  /** The store's answer to a forwarded request, once it came. */
  status?: number;
}

export interface FaultProxy {
  endpoint: string;
  requests: RecordedRequest[];
  /** Share of requests that fail, 0…1; the faults alternate between 503 SlowDown and a connection reset. */
  faultRate: number;
  /** Stop answering (reset every connection) once this many PUTs were forwarded. */
  cutAfterPuts?: number;
  /** Answer 412 to every request with `If-None-Match`, as a store that does not take the condition may. */
  refuseConditions?: boolean;
  /** Forget the recorded requests and the PUT count. */
  clear(): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator, so a faulty run is the same run every time. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SLOW_DOWN = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';
const PRECONDITION_FAILED =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>';

export async function startFaultProxy(upstream: string, options: { faultRate?: number; seed?: number } = {}): Promise<FaultProxy> {
  const target = new URL(upstream);
  const random = seeded(options.seed ?? 1);
  const requests: RecordedRequest[] = [];
  const sockets = new Set<import('node:net').Socket>();
  let forwardedPutCount = 0;
  let faults = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: decodeURIComponent(url.pathname.slice(1)),
      query: url.search,
      outcome: 'forwarded',
      ifNoneMatch: req.headers['if-none-match'],
    };
    requests.push(record);
    const down = proxy.cutAfterPuts !== undefined && forwardedPutCount >= proxy.cutAfterPuts;
    const fault = !down && random() < proxy.faultRate ? (faults++ % 2 === 0 ? 'slowdown' : 'reset') : undefined;
    if (down || fault === 'reset') {
      record.outcome = down ? 'down' : 'reset';
      req.socket.destroy();
      return;
    }
    /** Answer with an S3 error document once the request's body has been read. */
    const answerError = (status: number, body: string) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
    };
    if (fault === undefined && proxy.refuseConditions && record.ifNoneMatch !== undefined) {
      record.outcome = 'refused';
      record.status = 412;
      return answerError(412, PRECONDITION_FAILED);
    }
    if (fault === 'slowdown') {
      record.outcome = 'slowdown';
      return answerError(503, SLOW_DOWN);
    }
    if (record.method === 'PUT') forwardedPutCount++;
    const forward = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      record.status = answer.statusCode;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const proxy: FaultProxy = {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    faultRate: options.faultRate ?? 0,
    clear: () => {
      requests.splice(0);
      forwardedPutCount = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  return proxy;
}
