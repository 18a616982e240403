/**
 * The project's own paths, shared by the config and every stage that must
 * keep inside (images) or outside (publish targets) a folder.
 */
import path from 'node:path';

/** The optional config file at the project root. */
export const CONFIG_FILE = 'statements.config.json';

/**
 * Whether `child` is `parent` or lies below it (lexically; callers that
 * follow links pass real paths). `strict` excludes `parent` itself.
 */
export function isInside(child: string, parent: string, strict = false): boolean {
  const relative = path.relative(parent, child);
  if (relative === '') return !strict;
  return !relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative);
}
