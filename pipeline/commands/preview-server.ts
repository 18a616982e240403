/**
 * The HTTP half of `statements serve`: the built site on 127.0.0.1, folders
 * answered by their `index.html` and never listed, and, in served HTML only
 * (never in `dist/`), a small script that reloads the page after each
 * rebuild and shows the build's errors on it, over server-sent events.
 */
import { createServer, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../paths.ts';
import { contentTypeOf } from '../publish/index.ts';

/** What the page shows of the last build. */
export interface PreviewStatus {
  /** Rebuilds so far; a page reloads when it grows. */
  build: number;
  errors: number;
  warnings: number;
  /** The error lines, as the terminal prints them. */
  text: string;
}

const EVENTS = '/__statements/events';

/** Reload on a new build; show errors in a banner (text only, never parsed as HTML). */
const CLIENT = `<script>
(() => {
  let seen;
  const events = new EventSource(${JSON.stringify(EVENTS)});
  events.addEventListener('status', (event) => {
    const status = JSON.parse(event.data);
    if (seen !== undefined && status.build !== seen) return location.reload();
    seen = status.build;
    let banner = document.getElementById('statements-preview');
    if (status.errors === 0) return banner && banner.remove();
    if (!banner) {
      banner = document.createElement('pre');
      banner.id = 'statements-preview';
      banner.setAttribute('role', 'alert');
      banner.style.cssText = 'position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;margin:0;padding:1em;background:#7a0000;color:#fff;font:14px/1.4 monospace;white-space:pre-wrap;z-index:2147483647';
      document.body.append(banner);
    }
    banner.textContent = status.text;
  });
})();
</script>`;

/** Served HTML: the page as built, with the client before `</body>`. */
export const withClient = (html: string) => (html.includes('</body>') ? html.replace(/<\/body>(?![\s\S]*<\/body>)/, `${CLIENT}</body>`) : html + CLIENT);

export interface PreviewServer {
  /** `http://127.0.0.1:<port>/`. */
  url: string;
  /** Tell every open page about a finished build. */
  publish(status: PreviewStatus): void;
  close(): Promise<void>;
}

/** Serve `root` on 127.0.0.1:`port` (0: any free port). */
export async function startPreviewServer(root: string, port: number, initial: PreviewStatus): Promise<PreviewServer> {
  let status = initial;
  const clients = new Set<ServerResponse>();
  const send = (response: ServerResponse) => response.write(`event: status\ndata: ${JSON.stringify(status)}\n\n`);
  const notFound = (response: ServerResponse, pathname: string) =>
    response
      .writeHead(404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        withClient(
          `<!doctype html><html lang="en"><title>Not built</title><body><h1>Not built</h1><p>Nothing is built at <code>${escapeHtml(pathname)}</code>.</p></body></html>`,
        ),
      );

  const server = createServer(async (request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    if (pathname === EVENTS) {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      clients.add(response);
      request.on('close', () => clients.delete(response));
      return send(response);
    }
    let file = path.join(root, ...pathname.split('/'));
    if (!isInside(file, root)) return notFound(response, pathname);
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const type = contentTypeOf(file);
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(type.startsWith('text/html') ? withClient(body.toString('utf8')) : body);
    } catch {
      notFound(response, pathname);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}/`,
    publish(next) {
      status = next;
      for (const client of clients) send(client);
    },
    close: () =>
      new Promise((resolve) => {
        for (const client of clients) client.end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
