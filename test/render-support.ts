/** Shared by the render tests: a copy of the render fixture project, built. */
import { cp, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../pipeline/config.ts';
import { buildProject, type BuildOptions } from '../pipeline/commands/build.ts';
import { fixtures, makeProject } from './helpers.ts';

/** A temporary copy of `test/fixtures/<name>/`. */
export async function fixtureProject(name = 'render-site'): Promise<string> {
  const root = await makeProject();
  await cp(path.join(fixtures, name), root, { recursive: true });
  return root;
}

/** Build the project in `root` with its own config. */
export async function build(root: string, options: BuildOptions = {}) {
  return buildProject(await loadConfig(root), options);
}

export const read = (root: string, key: string) => readFile(path.join(root, 'dist', key), 'utf8');

/** Every file below `dist/` of `root`, relative, `/`-separated. */
export async function distFiles(root: string): Promise<string[]> {
  const names = await readdir(path.join(root, 'dist'), { recursive: true, withFileTypes: true });
  return names
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(path.join(root, 'dist'), path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The values of attribute `name` on every `<tag …>` of `html`. */
export function attributes(html: string, tag: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].flatMap((match) => {
    const found = new RegExp(`\\s${name}="([^"]*)"`).exec(match[0]);
    return found ? [found[1]!.replace(/&#x26;|&amp;/g, '&')] : [];
  });
}
