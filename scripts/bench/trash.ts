/**
 * What the bench clears between runs is moved aside, and deleted when the
 * bench ends. This machine's file system (ext4 without a journal) will not
 * reuse an inode freed in the last minute or so, and checks each candidate
 * as it allocates: right after deleting thousands of files, every file
 * created scans past them (the kernel's `recently_deleted`), and a cold
 * extract measured just after the bench's own `rm -rf` spent a tenth of its
 * time there. A rename frees nothing, so the measured runs do not pay for
 * the bench's housekeeping.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const PREFIX = 'statements-bench-trash-';
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
}
