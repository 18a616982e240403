/**
 * Publish on the generated corpus: the built site goes to a local s3rver
 * (through a proxy that counts requests) three times: a full publish, a
 * no-op publish, and a publish after one locale edit. Then the same full and
 * no-op publish to a local folder.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { loadConfig, type ResolvedConfig } from '../../pipeline/config.ts';
import { buildProject } from '../../pipeline/commands/build.ts';
import { publishProject, type PublishOptions } from '../../pipeline/commands/publish.ts';
import { startS3rver } from '../servers/s3rver.ts';
import { startFaultProxy, type FaultProxy } from '../servers/fault-proxy.ts';
import { rclone } from './rclone.ts';
import { addRow, fastest } from './summary.ts';

interface Run {
  ms: number;
  requests: number;
  puts: number;
  deletes: number;
  uploaded: string[];
  objects: number;
  bytes: number;
}

async function publishOnce(config: ResolvedConfig, overrides: PublishOptions['overrides'], proxy?: FaultProxy): Promise<Run> {
  proxy?.clear();
  const started = performance.now();
  const report = await publishProject(config, { build: false, check: false, env: {}, overrides });
  const ms = performance.now() - started;
  const requests = proxy?.requests ?? [];
  return {
    ms,
    requests: requests.length,
    puts: requests.filter((request) => request.method === 'PUT').length,
    deletes: requests.filter((request) => request.method === 'DELETE').length,
    uploaded: report.result?.uploaded ?? [],
    objects: (report.plan?.uploads.length ?? 0) + (report.plan?.unchanged.length ?? 0),
    bytes: report.result?.bytes ?? 0,
  };
}

/** Change one translated string of the first statement in `fr` (its title, or a paragraph); returns a function that undoes it. */
async function editOneLocale(config: ResolvedConfig, what: 'title' | 'paragraph'): Promise<{ slug: string; undo: () => Promise<unknown> }> {
  const slug = 'statement-0000';
  const file = path.join(config.localesDir, 'fr', `${slug}.json`);
  const original = await readFile(file, 'utf8');
  const bundle = JSON.parse(original) as Record<string, string>;
  const key =
    what === 'title' ? 'meta.title' : (Object.keys(bundle).find((name) => !name.startsWith('meta.') && name.includes('.')) ?? Object.keys(bundle)[0]!);
  bundle[key] = `${bundle[key]} (corrigé)`;
  await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
  return { slug, undo: () => writeFile(file, original) };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function bench(corpusDir: string): Promise<Record<string, string | number>> {
  const config = await loadConfig(corpusDir);
  let started = performance.now();
  await buildProject(config);
  const buildMs = performance.now() - started;

  const work = await mkdtemp(path.join(tmpdir(), 'statements-bench-publish-'));
  const server = await startS3rver(path.join(work, 's3rver'));
  const proxy = await startFaultProxy(server.endpoint);
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const saved = Object.fromEntries(['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].map((name) => [name, process.env[name]]));
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
  const client = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  try {
    await client.send(new CreateBucketCommand({ Bucket: 'bench' }));
    const s3 = { target: 's3://bench/press', endpoint: proxy.endpoint, pathStyle: true };
    const full = await publishOnce(config, s3, proxy);
    const noop = await publishOnce(config, s3, proxy);
    const listed = await publishOnce(config, { ...s3, delete: true }, proxy);

    const edits: Record<string, string | number> = {};
    for (const what of ['paragraph', 'title'] as const) {
      const edit = await editOneLocale(config, what);
      started = performance.now();
      await buildProject(config);
      const rebuildMs = performance.now() - started;
      const edited = await publishOnce(config, s3, proxy);
      await edit.undo();
      await buildProject(config);
      await publishOnce(config, s3, proxy);
      const own = edited.uploaded.filter((key) => key.startsWith(`fr/${edit.slug}/`));
      const others = edited.uploaded.filter((key) => !own.includes(key));
      edits[`one fr ${what} edit: rebuild, publish`] = `${seconds(rebuildMs)}, ${seconds(edited.ms)} with ${edited.requests} requests, ${edited.puts} PUTs`;
      edits[`one fr ${what} edit: uploaded`] = `${own.length} in fr/${edit.slug}/ + ${others.join(', ') || 'nothing else'} + manifest`;
    }

    // Head to head with rclone, both straight to s3rver (the counting proxy runs in this process), alternating.
    const sync = await rclone({ endpoint: server.endpoint, bucket: 'bench', ...credentials });
    const direct = { target: 's3://bench/ours', endpoint: server.endpoint, pathStyle: true };
    const oursFull = await publishOnce(config, direct);
    const rcloneFull = typeof sync === 'string' ? sync : sync.sync(config.outDir, 'rclone');
    // The no-op is the best of three, as the unchanged re-run is: one after rclone's full sync, one after its no-op
    // sync (this process idle for half a minute each time), one straight after. rclone's no-op (half a minute) runs
    // once: the ratio takes our slowest run.
    const oursNoops = [await publishOnce(config, direct)];
    const rcloneNoop = typeof sync === 'string' ? sync : sync.sync(config.outDir, 'rclone');
    oursNoops.push(await publishOnce(config, direct), await publishOnce(config, direct));
    const oursNoop = fastest(oursNoops, (run) => run.ms);
    const oursSlowestNoop = Math.max(...oursNoops.map((run) => run.ms));
    if (typeof sync !== 'string') await sync.close();
    const versus = (peer: number | string) => `rclone ${typeof peer === 'string' ? peer : seconds(peer)}`;
    addRow({
      stage: `full publish of ${oursFull.objects} objects to s3rver`,
      ours: seconds(oursFull.ms),
      peer: versus(rcloneFull),
      ratio: typeof rcloneFull === 'number' ? rcloneFull / oursFull.ms : undefined,
      target: '≥ 1× rclone sync --checksum --transfers 16',
    });
    addRow({
      stage: 'no-op publish to s3rver, best of 3 (ratio: slowest)',
      ours: seconds(oursNoop.ms),
      peer: versus(rcloneNoop),
      ratio: typeof rcloneNoop === 'number' ? rcloneNoop / oursSlowestNoop : undefined,
      target: '< 1 s',
    });

    const folder = { target: path.join(work, 'public') };
    const localFull = await publishOnce(config, folder);
    const localNoop = await publishOnce(config, folder);

    return {
      'build (incremental, before publishing)': seconds(buildMs),
      'objects in the built site': full.objects,
      'bytes in the built site': megabytes(full.bytes),
      's3rver full publish': `${seconds(full.ms)}, ${full.requests} requests, ${full.puts} PUTs`,
      's3rver no-op publish': `${seconds(noop.ms)}, ${noop.requests} requests, ${noop.puts} PUTs (${((noop.ms / full.ms) * 100).toFixed(1)}% of full)`,
      's3rver no-op publish with --delete (lists the prefix)': `${seconds(listed.ms)}, ${listed.requests} requests, ${listed.puts} PUTs, ${listed.deletes} DELETEs`,
      ...edits,
      's3rver full publish, direct': seconds(oursFull.ms),
      'rclone sync --checksum --transfers 16, full': typeof rcloneFull === 'number' ? seconds(rcloneFull) : rcloneFull,
      's3rver no-op publish, direct, best of 3': seconds(oursNoop.ms),
      's3rver no-op publish, direct, all 3': oursNoops.map((run) => seconds(run.ms)).join(' / '),
      'rclone sync --checksum --transfers 16, no-op': typeof rcloneNoop === 'number' ? seconds(rcloneNoop) : rcloneNoop,
      'local folder full publish': seconds(localFull.ms),
      'local folder no-op publish': seconds(localNoop.ms),
    };
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    client.destroy();
    await proxy.close();
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}
