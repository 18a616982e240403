/**
 * WeasyPrint on the same HTML pages the PDF comparison uses, two ways: warm
 * (one Python process, WeasyPrint imported and one page printed before the
 * clock starts: the time of the print alone) and as a user runs it (the
 * `weasyprint` command once per document, start-up included). Nothing is
 * fetched: the pages carry their stylesheet inline and every URL is refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { installed, NOT_INSTALLED } from './summary.ts';

export interface WeasyPrintTimes {
  /** Milliseconds per document in a warm process. */
  warm: number;
  /** Milliseconds per document of the `weasyprint` command. */
  command: number;
}

const WARM = `
import json, sys, time
from weasyprint import HTML
def refuse(url):
    raise ValueError('no fetching in the benchmark: ' + url)
files = sys.argv[2:]
HTML(filename=files[0], url_fetcher=refuse).write_pdf(sys.argv[1])
started = time.perf_counter()
for name in files:
    HTML(filename=name, url_fetcher=refuse).write_pdf(sys.argv[1])
print(json.dumps((time.perf_counter() - started) * 1000 / len(files)))
`;

/** The interpreter the `weasyprint` command runs under (its `#!` line), so its library is importable. */
async function interpreter(): Promise<string> {
  const where = spawnSync('sh', ['-c', 'command -v weasyprint'], { encoding: 'utf8' }).stdout.trim();
  const first = (await readFile(where, 'utf8')).split('\n')[0]!;
  return first.startsWith('#!') ? first.slice(2).trim().split(/\s+/)[0]! : 'python3';
}

/** Per-document times of WeasyPrint on `pages` (HTML texts); a string when it is absent or failed. */
export async function weasyprint(pages: string[], commandRuns = 3): Promise<WeasyPrintTimes | string> {
  if (!installed('weasyprint')) return NOT_INSTALLED;
  const work = await mkdtemp(path.join(tmpdir(), 'statements-bench-weasyprint-'));
  try {
    const files = await Promise.all(
      pages.map(async (html, index) => {
        const file = path.join(work, `page-${index}.html`);
        await writeFile(file, html);
        return file;
      }),
    );
    const out = path.join(work, 'out.pdf');
    const warm = spawnSync(await interpreter(), ['-c', WARM, out, ...files], { encoding: 'utf8', timeout: 600_000 });
    if (warm.status !== 0) return `failed (${(warm.stderr || warm.error?.message || '').trim().split('\n').at(-1)})`;
    let commandMs = 0;
    const runs = files.slice(0, commandRuns);
    for (const file of runs) {
      const started = performance.now();
      // --base-url of a folder with nothing to fetch; the pages link only to https URLs, which are anchors, not resources.
      const result = spawnSync('weasyprint', ['--quiet', '--base-url', work, file, out], { encoding: 'utf8', timeout: 120_000 });
      commandMs += performance.now() - started;
      if (result.status !== 0) return `failed (${(result.stderr || result.error?.message || '').split('\n')[0]})`;
    }
    return { warm: Number(warm.stdout.trim().split('\n').at(-1)), command: commandMs / runs.length };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
