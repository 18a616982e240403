/**
 * The OASIS XLIFF schemas (1.2 strict, 2.0 core) and `xmllint` to validate
 * exports with. The schemas come from Debian's `php-symfony-translation`:
 * installed, or extracted by `.ci/run` into `.cache/schemas` (no PHP needed).
 * They import `xml.xsd` by URL; the copies written here point at the local one,
 * so validation works offline. Missing pieces are an error, never a skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers.ts';

const PACKAGE_DIR = 'usr/share/php/Symfony/Component/Translation/Resources/schemas';
export const SCHEMA_DIRS = [path.join('/', PACKAGE_DIR), path.join(repoRoot, '.cache', 'schemas', PACKAGE_DIR)];
const FILES = { '1.2': 'xliff-core-1.2-strict.xsd', '2.0': 'xliff-core-2.0.xsd' } as const;

export type SchemaVersion = keyof typeof FILES;

const HINT = 'run .ci/run (it installs libxml2-utils and extracts php-symfony-translation into .cache/schemas)';

/** Paths of local schema copies whose `xml.xsd` import is the local file. */
export async function xliffSchemas(): Promise<Record<SchemaVersion, string>> {
  const dir = SCHEMA_DIRS.find(
    (candidate) => Object.values(FILES).every((file) => existsSync(path.join(candidate, file))) && existsSync(path.join(candidate, 'xml.xsd')),
  );
  if (!dir) throw new Error(`XLIFF schemas not found in ${SCHEMA_DIRS.join(' or ')}: ${HINT}`);
  if (spawnSync('xmllint', ['--version']).error) throw new Error(`xmllint not found: ${HINT}`);
  const out = path.join(os.tmpdir(), `xliff-schemas-${process.pid}`);
  await mkdir(out, { recursive: true });
  await writeFile(path.join(out, 'xml.xsd'), await readFile(path.join(dir, 'xml.xsd')));
  const written = {} as Record<SchemaVersion, string>;
  for (const [version, file] of Object.entries(FILES) as Array<[SchemaVersion, string]>) {
    const text = await readFile(path.join(dir, file), 'utf8');
    const local = text.replace(/(namespace="http:\/\/www\.w3\.org\/XML\/1998\/namespace"\s+schemaLocation=")[^"]*"/, '$1xml.xsd"');
    if (local === text) throw new Error(`${file}: no import of xml.xsd to point at the local copy`);
    written[version] = path.join(out, file);
    await writeFile(written[version], local);
  }
  return written;
}

/** `xmllint --schema`: exit code and messages, with network access off. */
export function validate(schema: string, file: string): { code: number; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', schema, file], { encoding: 'utf8' });
  if (result.error) throw new Error(`xmllint: ${result.error.message}: ${HINT}`);
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}` };
}
