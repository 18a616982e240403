import { DEFAULT_PREVIEW_PORT } from '../../pipeline/config.ts';
import type { CommandSpec } from './command.ts';

export const serve: CommandSpec = {
  name: 'serve',
  summary: 'Build and preview the site on 127.0.0.1, rebuilding and reloading the open page when a statement, locale file or the config is saved',
  usage: 'statements serve [--port N]',
  help: [`--port N    the port on 127.0.0.1 (default ${DEFAULT_PREVIEW_PORT}; 0 takes a free one)`],
  options: { port: { type: 'string' } },
  async run(config, values, _positionals, output) {
    const { serveProject } = await import('../../pipeline/commands/serve.ts');
    const port = values.port === undefined ? DEFAULT_PREVIEW_PORT : Number(values.port);
    if (!/^\d+$/.test(String(values.port ?? DEFAULT_PREVIEW_PORT)) || port > 65535) {
      output.error(`✖ Unexpected --port \`${String(values.port)}\`, expected a port number from 0 to 65535`);
      return 1;
    }
    let preview;
    try {
      preview = await serveProject(config, {
        port,
        onBuild: ({ report, text, errors, warnings }) => {
          if (text) output.error(text);
          if (report)
            output.log(
              `built: ${report.documents.length} documents rebuilt, ${report.unchanged} unchanged, ${report.failed} failed, ${errors} errors, ${warnings} warnings`,
            );
        },
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      output.error(`✖ Port ${port} on 127.0.0.1 is in use: stop what uses it, or choose another with --port`);
      return 1;
    }
    output.log(`Serving ${preview.url} (updates when you save; Ctrl-C stops)`);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await preview.close();
    return 0;
  },
};
