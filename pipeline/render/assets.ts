/**
 * What a localized tree points at, resolved once per statement: images are
 * read from the statements folder or the assets folder (never from anywhere
 * else, whatever a path or a link says) and copied beside each page, relative
 * links to other statements point to the same language's page, and headings
 * get the id of their source heading.
 */
import { constants, type Stats } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { visit } from 'unist-util-visit';
import type { Definition, Heading, Image, Link, Root } from 'mdast';
import { error, warning } from '../diagnostics.ts';
import { headingIds } from '../parse/index.ts';
import { type LinkStyle, type ResolvedConfig } from '../config.ts';
import { linkPath } from './template.ts';
import { isInside } from '../paths.ts';
import { sanitizeSvg } from './svg.ts';
import type { Statement } from '../types.ts';

export type ImageType = 'png' | 'jpeg' | 'gif' | 'webp' | 'avif' | 'svg';

/** An image file a statement references, copied beside every page of it. */
export interface ImageAsset {
  /** Absolute real path of the file (links followed). */
  file: string;
  /** File name below the page folder. */
  name: string;
  type: ImageType;
  /** What is published: the file's bytes, or for SVG the sanitized document. */
  data: Buffer;
}

export const IMAGE_TYPES: Record<string, ImageType> = {
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.gif': 'gif',
  '.webp': 'webp',
  '.avif': 'avif',
  '.svg': 'svg',
};
export const IMAGE_CONTENT_TYPES: Record<ImageType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};
const TYPE_NAMES: Record<ImageType, string> = { png: 'PNG', jpeg: 'JPEG', gif: 'GIF', webp: 'WebP', avif: 'AVIF', svg: 'SVG' };

/** Where images may come from, and how big they may be. */
export type ImageSettings = Pick<ResolvedConfig, 'root' | 'statementsDir' | 'assetsDir' | 'limits'>;

/** What a statement shares when rendering. */
export interface StatementAssets {
  /** Image URL as written in the statement → its asset. */
  images: Map<string, ImageAsset>;
  /** Id of every heading, from the source heading, in document order. */
  headingIds: string[];
  /** False when an image is missing or unusable: the statement is not published. */
  ok: boolean;
}

const isRemote = (url: string) => /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//');
const decode = (url: string) => {
  try {
    return decodeURI(url.split(/[?#]/)[0]!);
  } catch {
    return url;
  }
};

/** Images of a tree with their URL: `![](url)`, and `![][ref]` through its definition. */
function imageNodes(tree: Root): Array<{ url: string; position: Image['position'] }> {
  const definitions = new Map<string, Definition>();
  visit(tree, 'definition', (node: Definition) => void definitions.set(node.identifier.toLowerCase(), node));
  const nodes: Array<{ url: string; position: Image['position'] }> = [];
  visit(tree, (node) => {
    if (node.type === 'image') nodes.push({ url: node.url, position: node.position });
    if (node.type === 'imageReference') {
      const definition = definitions.get(node.identifier.toLowerCase());
      if (definition) nodes.push({ url: definition.url, position: node.position });
    }
  });
  return nodes;
}

/** The image files a statement's tree references (absolute paths, not yet checked), for cache keys. */
export function imageFiles(statement: Pick<Statement, 'tree' | 'file'>): string[] {
  const files = new Set<string>();
  for (const node of imageNodes(statement.tree)) {
    if (!isRemote(node.url) && node.url) files.add(path.resolve(path.dirname(statement.file.path), decode(node.url)));
  }
  return [...files].sort();
}

/** The image type `data` is by its first bytes; SVG is text, decided on by its parser. */
export function sniffImage(data: Buffer): ImageType | undefined {
  const ascii = (start: number, end: number) => data.toString('latin1', start, end);
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (/^GIF8[79]a$/.test(ascii(0, 6))) return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(4, 8) === 'ftyp') {
    // ISO media: the major brand, then compatible brands, up to the box's end.
    const end = Math.min(data.length, data.readUInt32BE(0));
    for (let offset = 8; offset + 4 <= end; offset += offset === 8 ? 8 : 4) if (/^avi[fs]$/.test(ascii(offset, offset + 4))) return 'avif';
    return undefined;
  }
  if (/^(?:\uFEFF)?\s*</.test(data.toString('utf8', 0, 256))) return 'svg';
  return undefined;
}

/** Why an image file cannot be read for publishing. */
export type ImageProblem =
  | { problem: 'outside'; real?: string }
  | { problem: 'missing' }
  | { problem: 'unreadable'; code: string }
  | { problem: 'not-file'; kind: string }
  | { problem: 'too-big'; size: number };

/** The folders images may come from. */
const imageFolders = (settings: ImageSettings) => [settings.statementsDir, ...(settings.assetsDir ? [settings.assetsDir] : [])];

const kindOf = (info: Stats) =>
  info.isDirectory()
    ? 'a folder'
    : info.isFIFO()
      ? 'a named pipe'
      : info.isSocket()
        ? 'a socket'
        : info.isCharacterDevice() || info.isBlockDevice()
          ? 'a device'
          : 'not a file';

/**
 * Read the image `file` if it really lies in the statements or assets folder
 * (after following every link), is a regular file and is within
 * `limits.assetBytes`; never more than that many bytes are read.
 */
export async function readImageFile(file: string, settings: ImageSettings): Promise<{ data: Buffer; real: string } | ImageProblem> {
  const folders = imageFolders(settings);
  if (!folders.some((folder) => isInside(file, folder, true))) return { problem: 'outside' };
  let real: string;
  try {
    real = await realpath(file);
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code ?? 'error';
    return code === 'ENOENT' || code === 'ENOTDIR' ? { problem: 'missing' } : { problem: 'unreadable', code };
  }
  // The folders themselves may be reached through a link (`/tmp` on macOS).
  const realFolders = await Promise.all(folders.map((folder) => realpath(folder).catch(() => undefined)));
  if (!realFolders.some((folder) => folder !== undefined && isInside(real, folder, true))) return { problem: 'outside', real };
  const limit = settings.limits.assetBytes;
  try {
    // Decide before opening: opening a pipe waits for a writer, a device may never end.
    const info = await stat(real);
    if (!info.isFile()) return { problem: 'not-file', kind: kindOf(info) };
    if (info.size > limit) return { problem: 'too-big', size: info.size };
    const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      // The file may have been swapped since: what is read must be what was checked.
      const opened = await handle.stat();
      if (!opened.isFile() || opened.ino !== info.ino || opened.dev !== info.dev) return { problem: 'not-file', kind: kindOf(opened) };
      // One byte more than the size tells a file that grew while it was read.
      const buffer = Buffer.alloc(info.size + 1);
      let length = 0;
      for (let read = -1; read !== 0 && length < buffer.length; length += read)
        ({ bytesRead: read } = await handle.read(buffer, length, buffer.length - length, length));
      if (length > info.size) return { problem: 'unreadable', code: 'changed while read' };
      return { data: buffer.subarray(0, length), real };
    } finally {
      await handle.close();
    }
  } catch (caught) {
    return { problem: 'unreadable', code: (caught as NodeJS.ErrnoException).code ?? 'error' };
  }
}

/** Read every image of `statement`; problems are positioned errors on the statement. */
export async function loadAssets(statement: Statement, settings: ImageSettings): Promise<StatementAssets> {
  const images = new Map<string, ImageAsset>();
  const names = new Map<string, string>();
  const nodes = imageNodes(statement.tree);
  let ok = true;
  const fail = (node: { position: Image['position'] }, reason: string, ruleId: string) => {
    ok = false;
    error(statement.file, reason, ruleId, node.position);
  };
  for (const node of nodes) {
    if (images.has(node.url)) continue;
    if (isRemote(node.url)) {
      fail(node, `Unexpected remote image \`${node.url}\`, expected a file beside the statement: pages load nothing from other sites`, 'remote-image');
      continue;
    }
    const written = decode(node.url);
    const file = path.resolve(path.dirname(statement.file.path), written);
    const read = await readImage(file, node.url, written, path.relative(statement.file.cwd, file), settings);
    if ('reason' in read) {
      fail(node, read.reason, read.ruleId);
      continue;
    }
    if (read.removed) warning(statement.file, read.removed, 'svg-sanitized', node.position);
    const { type, data } = read;
    // Files beside each page: keep the base name, numbered if two differ.
    let name = path.basename(file);
    for (let n = 2; names.has(name) && names.get(name) !== read.real; n++) name = `${path.basename(file, path.extname(file))}-${n}${path.extname(file)}`;
    names.set(name, read.real);
    images.set(node.url, { file: read.real, name, type, data });
  }
  return { images, headingIds: headingIds(statement.tree), ok };
}

/** An image file read for publishing, its content checked (an SVG sanitized), or why it cannot be. */
export type ReadImage = { data: Buffer; real: string; type: ImageType; removed?: string } | { reason: string; ruleId: string };

/**
 * Read the image `file` (written `url`, decoded `written`, `relative` to the
 * project) as publishing may: from the image folders only, of a type its
 * content confirms, an SVG rebuilt from the allowlist (`removed` says what
 * went). Shared by statements' images and the site's logo.
 */
export async function readImage(file: string, url: string, written: string, relative: string, settings: ImageSettings): Promise<ReadImage> {
  const type = IMAGE_TYPES[path.extname(file).toLowerCase()];
  if (!type)
    return { reason: `Unexpected image type \`${path.extname(file) || url}\`, expected a PNG, JPEG, GIF, WebP, AVIF or SVG file`, ruleId: 'image-type' };
  const read = await readImageFile(file, settings);
  if ('problem' in read) {
    const folders = imageFolders(settings)
      .map((dir) => `\`${path.relative(settings.root, dir) || '.'}/\``)
      .join(' or ');
    const [reason, ruleId] = imageProblem(read, url, written, relative, folders, settings);
    return { reason, ruleId };
  }
  const found = sniffImage(read.data);
  if (found !== type) {
    const rename = found ? `: rename it to \`${path.basename(file, path.extname(file))}.${found === 'jpeg' ? 'jpg' : found}\`` : '';
    return {
      reason: `Unexpected ${found ? `${TYPE_NAMES[found]} content` : 'content that is no image'} in image \`${url}\`, expected ${TYPE_NAMES[type]} as its extension says${rename}`,
      ruleId: 'image-content',
    };
  }
  if (type !== 'svg') return { data: read.data, real: read.real, type };
  const svg = sanitizeSvg(read.data);
  if (!svg.ok) {
    const place = svg.place ? ` at ${svg.place.line}:${svg.place.column}` : '';
    return { reason: `Unexpected ${svg.unexpected} in SVG image \`${url}\`${place}, expected ${svg.expected}`, ruleId: 'unsafe-image' };
  }
  const listed = svg.removed.slice(0, 5).join(', ') + (svg.removed.length > 5 ? ` and ${svg.removed.length - 5} more` : '');
  const removed =
    svg.removed.length > 0 ? `Removed ${listed} from SVG image \`${url}\`: scripts, event handlers and external references are never published` : undefined;
  return { data: svg.data, real: read.real, type, ...(removed ? { removed } : {}) };
}

/** The message and rule of an image that cannot be read for publishing. */
function imageProblem(read: ImageProblem, url: string, written: string, relative: string, folders: string, settings: ImageSettings): [string, string] {
  switch (read.problem) {
    case 'outside':
      if (path.isAbsolute(written))
        return [`Unexpected absolute image path \`${url}\`, expected a path relative to the statement, to a file in ${folders}`, 'image-outside'];
      if (read.real)
        return [`Unexpected image \`${url}\` linking to \`${read.real}\`, expected a file in ${folders}: nothing else is ever published`, 'image-outside'];
      return [`Unexpected image \`${url}\` outside the image folders (\`${relative}\`), expected a file in ${folders}`, 'image-outside'];
    case 'missing':
      return [`Missing image \`${url}\`: no file \`${relative}\``, 'missing-image'];
    case 'unreadable':
      return [`Unreadable image \`${url}\`: \`${read.code}\``, 'missing-image'];
    case 'not-file':
      return [`Unexpected image \`${url}\` that is ${read.kind}, expected a regular file`, 'image-not-file'];
    case 'too-big':
      return [
        `Unexpected image \`${url}\` of ${read.size} bytes, expected at most ${settings.limits.assetBytes} (\`limits.assetBytes\` in \`statements.config.json\`)`,
        'image-size',
      ];
  }
}

const STATEMENT_LINK = /^(?:\.\/|(?:\.\.\/)+(?:[^/?#]+\/)*)?([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#.*)?$/;

/**
 * Prepare a localized tree for rendering, in place: image URLs point at the
 * copies beside the page, links to `other-statement.md` at that statement's
 * page in the same language, named as `links` says, headings carry their source ids and move down one
 * level when the statement uses `#`, below the page title.
 */
export function localizeTree(tree: Root, assets: StatementAssets, links: LinkStyle): void {
  let index = 0;
  // The page title is the only `h1`: the statement's top headings become `h2`.
  let top = 6;
  visit(tree, 'heading', (node: Heading) => void (top = Math.min(top, node.depth)));
  const shift = Math.max(0, 2 - top);
  visit(tree, (node) => {
    if (node.type === 'heading') {
      const heading = node as Heading;
      const id = assets.headingIds[index++];
      heading.depth = Math.min(6, heading.depth + shift) as Heading['depth'];
      if (id) heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id } };
    } else if (node.type === 'image') {
      const image = node as Image;
      const asset = assets.images.get(image.url);
      if (asset) image.url = encodeURI(asset.name);
    } else if (node.type === 'link' || node.type === 'definition') {
      const link = node as Link;
      const asset = node.type === 'definition' ? assets.images.get(link.url) : undefined;
      if (asset) {
        link.url = encodeURI(asset.name);
        return;
      }
      const match = STATEMENT_LINK.exec(link.url);
      if (match) link.url = `../${linkPath(`${match[1]}/`, links)}${match[2] ?? ''}`;
    }
  });
}
