/**
 * Publish targets never touch the source: a local target that is, holds or
 * lies inside a project input is refused from every place a target can come
 * from; `--delete` removes only what an earlier publish recorded; links
 * inside a local target are never written, deleted or listed through.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../pipeline/config.ts';
import { publishProject, type PublishOptions, type PublishReport } from '../../pipeline/commands/publish.ts';
import { PublishError } from '../../pipeline/publish/errors.ts';
import { LocalTarget } from '../../pipeline/publish/local.ts';
import { MANIFEST_KEY, parseManifest } from '../../pipeline/publish/manifest.ts';
import { listFiles } from '../../pipeline/publish/site.ts';
import { runCli, snapshot } from '../helpers.ts';
import { copyProject, createBucket, getObject, listKeys, publishFixture, putText, useS3 } from '../setup/publish.ts';

const s3 = useS3();

/** The publish fixture with every kind of project input beside it, and two links into the locales. */
async function projectWithInputs(config: Record<string, unknown> = {}): Promise<string> {
  const project = await copyProject();
  const files: Record<string, string> = {
    'locales/nl/climate-pledge.json': '{\n  "title": "Klimaatbelofte van de havenautoriteit"\n}\n',
    'locales/fr/climate-pledge.json': '{\n  "title": "Engagement climatique de l’autorité portuaire"\n}\n',
    'locales/.state/climate-pledge.json': '{\n  "keys": {}\n}\n',
    '.cache/parse/climate-pledge.json': '{}\n',
    '.git/HEAD': 'ref: refs/heads/main\n',
    'node_modules/left-pad/index.js': 'module.exports = 1;\n',
    'statements.config.json': `${JSON.stringify({ outDir: 'site', locales: ['nl', 'fr', 'en'], ...config }, null, 2)}\n`,
  };
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(project, name)), { recursive: true });
    await writeFile(path.join(project, name), content);
  }
  await symlink('locales', path.join(project, 'out'));
  await symlink(path.join('locales', 'nl'), path.join(project, 'into-nl'));
  return project;
}

/** Every file of the project with its content and time, the cache folder included. */
async function everything(project: string): Promise<Map<string, string>> {
  const files = await snapshot(project);
  for (const [name, value] of await snapshot(path.join(project, '.cache'))) files.set(path.join('.cache', name), value);
  return files;
}

/** `files` without what a publish to `public` may write: the folder, and its own hash memo in the cache. */
function besidesPublish(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([name]) => !name.startsWith(`public${path.sep}`) && name !== path.join('.cache', 'publish-hashes.json')));
}

const quick: PublishOptions = { build: false, check: false, env: {} };

/** Each place a target can come from: set it up in `project`, and return the publish to run (with `--delete`). */
const SOURCES: Record<string, (project: string, target: string) => Promise<() => Promise<PublishReport>>> = {
  '--target': async (project, target) => {
    const config = await loadConfig(project);
    return () => publishProject(config, { ...quick, overrides: { target, delete: true } });
  },
  STATEMENTS_PUBLISH_TARGET: async (project, target) => {
    const config = await loadConfig(project);
    return () => publishProject(config, { ...quick, env: { STATEMENTS_PUBLISH_TARGET: target, STATEMENTS_PUBLISH_DELETE: 'true' } });
  },
  '`publish.target` in statements.config.json': async (project, target) => {
    const file = path.join(project, 'statements.config.json');
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    await writeFile(file, `${JSON.stringify({ ...written, publish: { target, delete: true } }, null, 2)}\n`);
    const config = await loadConfig(project);
    return () => publishProject(config, quick);
  },
};

/** Publish the built site of `project` to the folder `target` given as a flag. */
const publishTo = async (project: string, target: string, more: { delete?: boolean } = {}) =>
  publishProject(await loadConfig(project), { ...quick, overrides: { target, ...more } });

const REFUSED: Array<[target: string, reason: string]> = [
  ['locales', "is the project's locales folder"],
  ['locales/nl', "lies inside the project's locales folder"],
  ['locales/.state', "lies inside the project's locales folder"],
  ['statements', "is the project's statements folder"],
  ['.', 'is the project folder'],
  ['..', 'contains the project folder'],
  ['.cache', "is the project's cache folder"],
  ['.git', "is the project's Git folder `.git`"],
  ['node_modules', "is the project's dependencies folder `node_modules`"],
  ['statements.config.json', "is the project's config file `statements.config.json`"],
  ['public/../locales', "is the project's locales folder"],
  ['out', "is the project's locales folder through a symbolic link"],
  // `..` after a link goes up from where the link leads: `locales/fr`, not `fr`.
  ['into-nl/../fr', "lies inside the project's locales folder through a symbolic link"],
];

describe('a local target that overlaps the project is refused', () => {
  for (const [from, publish] of Object.entries(SOURCES)) {
    test.each(REFUSED)(`the target \`%s\` from ${from} is refused (it %s) and nothing in the project changes`, async (target, reason) => {
      const project = await projectWithInputs();
      const run = await publish(project, target);
      const before = await everything(project);
      const failure = await run().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PublishError);
      expect((failure as Error).message).toBe(
        `Invalid target folder \`${target}\` from ${from}: it ${reason}; publish to a folder of its own such as \`public\``,
      );
      expect(await everything(project)).toEqual(before);
    });
  }

  test('the configured assets folder, and any folder inside it, is refused as a target', async () => {
    const project = await projectWithInputs({ assetsDir: 'assets' });
    await mkdir(path.join(project, 'assets', 'logos'), { recursive: true });
    await expect(publishTo(project, 'assets/logos')).rejects.toThrow(
      "Invalid target folder `assets/logos` from --target: it lies inside the project's assets folder;",
    );
    await expect(publishTo(project, 'assets')).rejects.toThrow("Invalid target folder `assets` from --target: it is the project's assets folder;");
  });

  test('`statements publish --target locales --delete` is one sentence on stderr, exit code 1, and every locale bundle stays', async () => {
    const project = await projectWithInputs();
    const before = await everything(project);
    const result = await runCli(['publish', '--target', 'locales', '--delete'], project);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      "✖ Invalid target folder `locales` from --target: it is the project's locales folder; publish to a folder of its own such as `public`",
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await everything(project)).toEqual(before);
  });

  test('the default target `public` inside the project still publishes, and nothing else in the project changes', async () => {
    const project = await projectWithInputs();
    const before = await everything(project);
    const report = await publishProject(await loadConfig(project), quick);
    expect(report.target).toBe(path.join(project, 'public'));
    expect(await listFiles(path.join(project, 'public'))).toEqual([...(await listFiles(path.join(project, 'site'))), MANIFEST_KEY].sort());
    expect(besidesPublish(await everything(project))).toEqual(before);
  });

  test('folders elsewhere inside the project and outside it are accepted as targets', async () => {
    const project = await projectWithInputs();
    const outside = await mkdtemp(path.join(tmpdir(), 'statements-outside-'));
    for (const target of ['releases/public', outside]) {
      const report = await publishTo(project, target);
      expect(report.result?.uploaded.length, target).toBeGreaterThan(0);
    }
  });
});

/** Put `files` in the build folder, publish, then take them out of the build again. */
async function publishedThenRemoved(project: string, files: string[], publish: () => Promise<unknown>): Promise<void> {
  for (const file of files) {
    await mkdir(path.dirname(path.join(project, 'site', file)), { recursive: true });
    await writeFile(path.join(project, 'site', file), `published ${file}`);
  }
  await publish();
  for (const file of files) await rm(path.join(project, 'site', file));
}

describe('--delete removes only what the previous manifest lists', () => {
  test('in a local folder, a person’s own files survive while a file the last publish wrote and the build dropped is removed', async () => {
    const project = await projectWithInputs();
    const toFolder = (more: { delete?: boolean } = {}) => publishTo(project, 'public', more);
    await publishedThenRemoved(project, ['old.pdf'], () => toFolder());
    await mkdir(path.join(project, 'public', 'notes'), { recursive: true });
    await writeFile(path.join(project, 'public', 'notes', 'mine.txt'), 'mine');
    await writeFile(path.join(project, 'public', 'robots.txt'), 'User-agent: *\n');
    const report = await toFolder({ delete: true });
    expect(report.result?.deleted).toEqual(['old.pdf']);
    expect(existsSync(path.join(project, 'public', 'old.pdf'))).toBe(false);
    expect(await readFile(path.join(project, 'public', 'notes', 'mine.txt'), 'utf8')).toBe('mine');
    expect(await readFile(path.join(project, 'public', 'robots.txt'), 'utf8')).toBe('User-agent: *\n');
    expect(report.plan?.notes).toEqual(['--delete left 2 files that no earlier publish wrote or that changed since: `notes/mine.txt`, `robots.txt`']);
    expect(Object.keys(parseManifest(await readFile(path.join(project, 'public', MANIFEST_KEY), 'utf8'))!.objects)).not.toContain('old.pdf');
  });

  test('in a local folder without a manifest, --delete deletes nothing and says so', async () => {
    const project = await projectWithInputs();
    await mkdir(path.join(project, 'public', 'en'), { recursive: true });
    await writeFile(path.join(project, 'public', 'en', 'archive.html'), 'mine');
    const report = await publishTo(project, 'public', { delete: true });
    expect(report.result?.deleted).toEqual([]);
    expect(await readFile(path.join(project, 'public', 'en', 'archive.html'), 'utf8')).toBe('mine');
    expect(report.plan?.notes).toEqual([
      `--delete removed nothing: the target has no \`${MANIFEST_KEY}\` of an earlier publish, so no file there is known to be ours`,
    ]);
  });

  test('a file published without --delete is still removed by a later --delete', async () => {
    const project = await projectWithInputs();
    const toFolder = (more: { delete?: boolean } = {}) => publishTo(project, 'public', more);
    await publishedThenRemoved(project, ['old.pdf'], () => toFolder());
    await toFolder();
    expect(existsSync(path.join(project, 'public', 'old.pdf'))).toBe(true);
    expect((await toFolder({ delete: true })).result?.deleted).toEqual(['old.pdf']);
  });

  test('under an S3 prefix, a person’s own object and one they replaced survive while an object the last publish wrote and the build dropped is removed', async () => {
    const project = await projectWithInputs();
    const bucket = await createBucket(s3.reader, 'own-files');
    const target = { endpoint: s3.proxy.endpoint, bucket, prefix: 'press' };
    await publishedThenRemoved(project, ['old.pdf', 'replaced.pdf'], () => publishFixture(project, target));
    await putText(s3.reader, bucket, 'press/notes/mine.txt', 'mine');
    await putText(s3.reader, bucket, 'press/replaced.pdf', 'their own version');
    s3.proxy.clear();
    const report = await publishFixture(project, target, { overrides: { delete: true } });
    expect(report.result?.deleted).toEqual(['old.pdf']);
    expect(s3.proxy.requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual([`${bucket}/press/old.pdf`]);
    const keys = await listKeys(s3.reader, bucket, 'press/');
    expect(keys).not.toContain('press/old.pdf');
    expect((await getObject(s3.reader, bucket, 'press/notes/mine.txt')).body.toString()).toBe('mine');
    expect((await getObject(s3.reader, bucket, 'press/replaced.pdf')).body.toString()).toBe('their own version');
  });

  test('under an S3 prefix without a manifest, --delete deletes nothing', async () => {
    const project = await projectWithInputs();
    const bucket = await createBucket(s3.reader, 'no-manifest');
    await putText(s3.reader, bucket, 'press/archive/2019.html', 'mine');
    s3.proxy.clear();
    const report = await publishFixture(project, { endpoint: s3.proxy.endpoint, bucket, prefix: 'press' }, { overrides: { delete: true } });
    expect(report.result?.deleted).toEqual([]);
    expect(s3.proxy.requests.filter((request) => request.method === 'DELETE')).toEqual([]);
    expect(await listKeys(s3.reader, bucket, 'press/archive/')).toEqual(['press/archive/2019.html']);
    expect(report.plan?.notes[0]).toMatch(/^--delete removed nothing/);
  });
});

describe('links inside a local target are never followed', () => {
  test('a symlinked folder `public/en -> ../locales` is refused for writing, and the locales stay as they were', async () => {
    const project = await projectWithInputs();
    await mkdir(path.join(project, 'public'));
    await symlink(path.join('..', 'locales'), path.join(project, 'public', 'en'));
    const before = await everything(project);
    const failure = await publishTo(project, 'public').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as Error).message).toMatch(
      new RegExp(
        `^Refusing to write \`en/[^\`]+\` in \`${escape(path.join(project, 'public'))}\`: \`en\` is a symbolic link, which publish never follows; replace it with a real folder or remove it$`,
      ),
    );
    expect(await readlink(path.join(project, 'public', 'en'))).toBe(path.join('..', 'locales'));
    expect(besidesPublish(await everything(project))).toEqual(besidesPublish(before));
  });

  test('a symlinked file in the target is refused for writing, and the file it points at stays', async () => {
    const project = await projectWithInputs();
    await mkdir(path.join(project, 'public'));
    const statement = path.join(project, 'statements', 'climate-pledge.md');
    const text = await readFile(statement, 'utf8');
    await symlink(statement, path.join(project, 'public', 'index.html'));
    await expect(publishTo(project, 'public')).rejects.toThrow(
      /: `index\.html` is a symbolic link, which publish never follows; replace it with a real file or remove it$/,
    );
    expect(await readFile(statement, 'utf8')).toBe(text);
  });

  test('listing a local target leaves out links to folders and files, and a delete through a link is refused', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'statements-target-'));
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'statements-elsewhere-'));
    await writeFile(path.join(elsewhere, 'secret.txt'), 'secret');
    await mkdir(path.join(dir, 'nl'));
    await writeFile(path.join(dir, 'nl', 'index.html'), 'page');
    await symlink(elsewhere, path.join(dir, 'en'));
    await symlink(path.join(elsewhere, 'secret.txt'), path.join(dir, 'secret.txt'));
    const target = new LocalTarget({ kind: 'local', dir });
    expect([...(await target.list()).keys()]).toEqual(['nl/index.html']);
    await expect(target.remove('en/secret.txt')).rejects.toThrow(
      /^Refusing to delete `en\/secret\.txt` in `.*`: `en` is a symbolic link, which publish never follows; replace it with a real folder or remove it$/,
    );
    expect(await readFile(path.join(elsewhere, 'secret.txt'), 'utf8')).toBe('secret');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
