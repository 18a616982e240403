/**
 * `statements serve`: build, serve the site on 127.0.0.1 (preview-server.ts),
 * and rebuild when a statement, a locale file, an image of `assetsDir` or the
 * config is saved. Rebuilds are incremental (the build cache), one at a time;
 * saves during a rebuild start one more after it. Every build's findings go to
 * `onBuild` (the terminal) and its errors to the open pages.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { DEFAULT_PREVIEW_PORT, loadConfig, type ResolvedConfig } from '../config.ts';
import { formatReport, PipelineError } from '../diagnostics.ts';
import { CONFIG_FILE } from '../paths.ts';
import { isTempName } from '../project/index.ts';
import { linkPath } from '../render/index.ts';
import { buildProject, type BuildReport } from './build.ts';
import { startPreviewServer, type PreviewStatus } from './preview-server.ts';

export interface ServeOptions {
  /** Default 4321; 0 takes any free port. */
  port?: number;
  /** After every build: its report, or the config error that stopped it (as the terminal prints it). */
  onBuild?: (result: { report?: BuildReport; text: string; errors: number; warnings: number }) => void;
  /** Quiet time after the last save before a rebuild, in ms. Default 100. */
  settle?: number;
}

export interface Preview {
  /** The front door, `http://127.0.0.1:<port>/index.html` (named as `site.links` says). */
  url: string;
  close(): Promise<void>;
}

/** Build the project, serve it and keep it current until `close`. */
export async function serveProject(initial: ResolvedConfig, options: ServeOptions = {}): Promise<Preview> {
  let config = initial;
  let builds = 0;
  const build = async (): Promise<PreviewStatus> => {
    let result: Parameters<NonNullable<ServeOptions['onBuild']>>[0];
    try {
      // A saved config applies to this build; a broken one is an error like any other.
      config = await loadConfig(initial.root);
      const report = await buildProject(config);
      const { errors, warnings } = report.diagnostics.count();
      result = { report, text: formatReport(report.diagnostics.files, config.root), errors, warnings };
    } catch (error) {
      if (!(error instanceof PipelineError)) throw error;
      result = { text: formatReport(error.files, initial.root), errors: 1, warnings: 0 };
    }
    options.onBuild?.(result);
    const text = result.text
      .split('\n')
      .filter((line) => /\s{2}error\s{2}/.test(line))
      .join('\n');
    return { build: ++builds, errors: result.errors, warnings: result.warnings, text };
  };

  const server = await startPreviewServer(config.outDir, options.port ?? DEFAULT_PREVIEW_PORT, await build());
  let running: Promise<void> = Promise.resolve();
  let pending = false;
  let timer: NodeJS.Timeout | undefined;
  const rebuild = () => {
    if (pending) return;
    pending = true;
    running = running.then(async () => {
      pending = false;
      try {
        server.publish(await build());
      } catch (error) {
        const text = `statements: internal error: ${error instanceof Error ? error.message : String(error)}`;
        options.onBuild?.({ text, errors: 1, warnings: 0 });
        server.publish({ build: ++builds, errors: 1, warnings: 0, text });
      }
    });
  };
  const changed = (file: string | null) => {
    if (file && isTempName(path.basename(file))) return;
    clearTimeout(timer);
    timer = setTimeout(rebuild, options.settle ?? 100);
  };

  const watchers: FSWatcher[] = [];
  const folders = [config.statementsDir, config.localesDir, ...(config.assetsDir ? [config.assetsDir] : [])];
  for (const folder of folders) {
    try {
      watchers.push(watch(folder, { recursive: true }, (_event, file) => changed(file)));
    } catch {
      // A folder that does not exist (no assets yet): the build reports what matters.
    }
  }
  watchers.push(watch(config.root, (_event, file) => (file === CONFIG_FILE ? changed(file) : undefined)));

  return {
    url: server.url + linkPath('', config.site.links),
    close: async () => {
      clearTimeout(timer);
      for (const watcher of watchers) watcher.close();
      await running;
      await server.close();
    },
  };
}
