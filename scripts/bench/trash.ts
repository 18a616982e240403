/**
 * What the bench clears between runs is moved aside, and deleted when the
 * bench ends. This machine's file system (ext4 without a journal) will not
 * reuse an inode freed in the last minute or so, and checks each candidate
 * as it allocates: right after deleting thousands of files, every file
 * created scans past them (the kernel's `recently_deleted`), and a cold
 * extract measured just after the bench's own `rm -rf` spent a tenth of its
 * time there. A rename frees nothing, so the measured runs do not pay for
 * the bench's housekeeping. A bench that starts right after another one
 * emptied its trash waits until those inodes are no longer recent
 * (`settleFileSystem`).
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PREFIX = 'statements-bench-trash-';
/** Touched when a bench has emptied its trash. */
const EMPTIED = path.join(tmpdir(), 'statements-bench-trash-emptied');
const trash = path.join(tmpdir(), `${PREFIX}${process.pid}`);
let moved = 0;

/** Move `target` out of the way, if it is there. It must be on the file system of `os.tmpdir()`. */
export async function clearAway(target: string): Promise<void> {
  await mkdir(trash, { recursive: true });
  try {
    await rename(target, path.join(trash, String(moved++)));
  } catch (caught) {
    if ((caught as NodeJS.ErrnoException).code !== 'ENOENT') throw caught;
  }
}

/** Delete what this bench (and any bench that stopped before its end) moved aside. */
export async function emptyTrash(): Promise<void> {
  const names = await readdir(tmpdir());
  await Promise.all(names.filter((name) => name.startsWith(PREFIX)).map((name) => rm(path.join(tmpdir(), name), { recursive: true, force: true })));
  await writeFile(EMPTIED, '');
}

/**
 * Wait, if need be, until the inodes the last bench freed are no longer
 * "recently deleted": the kernel counts them so for `vm.dirty_expire_centisecs`
 * (30 s by default). Returns the seconds waited.
 */
export async function settleFileSystem(): Promise<number> {
  const emptied = await stat(EMPTIED).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
  if (emptied === undefined) return 0;
  const centiseconds = Number(await readFile('/proc/sys/vm/dirty_expire_centisecs', 'utf8').catch(() => '3000'));
  const wait = Math.max(0, emptied + centiseconds * 10 + 1_000 - Date.now());
  await new Promise((resolve) => setTimeout(resolve, wait));
  return wait / 1000;
}
