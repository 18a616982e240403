/**
 * What a localized tree points at, resolved once per statement: images are
 * read from beside the statement (and copied beside each page), relative
 * links to other statements point to the same language's page, and headings
 * get the id of their source heading.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { visit } from 'unist-util-visit';
import type { Definition, Heading, Image, Link, Root } from 'mdast';
import { error } from '../diagnostics.ts';
import { headingIds } from '../heading-ids.ts';
import { unsafeText } from './safety.ts';
import type { Statement } from '../types.ts';

export type ImageType = 'png' | 'jpeg' | 'svg';

/** An image file a statement references, copied beside every page of it. */
export interface ImageAsset {
  /** Absolute path of the file beside the statement. */
  file: string;
  /** File name below the page folder. */
  name: string;
  type: ImageType;
  data: Buffer;
}

export const IMAGE_TYPES: Record<string, ImageType> = { '.png': 'png', '.jpg': 'jpeg', '.jpeg': 'jpeg', '.svg': 'svg' };
export const IMAGE_CONTENT_TYPES: Record<ImageType, string> = { png: 'image/png', jpeg: 'image/jpeg', svg: 'image/svg+xml' };

/** What every locale of a statement shares when rendering. */
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

/** The image files a statement's tree references (absolute paths), for cache keys. */
export function imageFiles(statement: Pick<Statement, 'tree' | 'file'>): string[] {
  const files = new Set<string>();
  for (const node of imageNodes(statement.tree)) {
    if (!isRemote(node.url) && node.url) files.add(path.resolve(path.dirname(statement.file.path), decode(node.url)));
  }
  return [...files].sort();
}

/** Read every image of `statement`; problems are positioned errors on the statement. */
export async function loadAssets(statement: Statement): Promise<StatementAssets> {
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
    const file = path.resolve(path.dirname(statement.file.path), decode(node.url));
    const type = IMAGE_TYPES[path.extname(file).toLowerCase()];
    if (!type) {
      fail(node, `Unexpected image type \`${path.extname(file) || node.url}\`, expected a PNG, JPEG or SVG file`, 'image-type');
      continue;
    }
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch {
      fail(node, `Missing image \`${node.url}\`: no file \`${path.relative(statement.file.cwd, file)}\``, 'missing-image');
      continue;
    }
    if (type === 'svg') {
      const found = unsafeText(data.toString('utf8').replace(/^<\?xml[^>]*>\s*/, '').replace(/^\s*<svg\b/i, ''));
      if (found) {
        fail(node, `Unexpected \`${found.trim()}\` in SVG image \`${node.url}\`: scripts and event handlers are never published`, 'unsafe-image');
        continue;
      }
    }
    // Files beside each page: keep the base name, numbered if two differ.
    let name = path.basename(file);
    for (let n = 2; names.has(name) && names.get(name) !== file; n++) name = `${path.basename(file, path.extname(file))}-${n}${path.extname(file)}`;
    names.set(name, file);
    images.set(node.url, { file, name, type, data });
  }
  return { images, headingIds: headingIds(statement.tree), ok };
}

const STATEMENT_LINK = /^(?:\.\/|(?:\.\.\/)+(?:[^/?#]+\/)*)?([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#.*)?$/;

/**
 * Prepare a localized tree for rendering, in place: image URLs point at the
 * copies beside the page, links to `other-statement.md` at `../other-statement/`
 * (the same language), headings carry their source ids and move down one
 * level when the statement uses `#`, below the page title.
 */
export function localizeTree(tree: Root, assets: StatementAssets): void {
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
      if (match) link.url = `../${match[1]}/${match[2] ?? ''}`;
    }
  });
}
