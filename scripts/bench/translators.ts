/**
 * Translators' tools on the generated corpus (on a copy, so other sections
 * see it unchanged): translation-memory load, XLIFF export and unchanged
 * re-import of every statement, status with word counts, and the reuse the
 * memory finds when new statements arrive.
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../pipeline/config.ts';
import { extractProject } from '../../pipeline/commands/extract.ts';
import { statusProject } from '../../pipeline/commands/status.ts';
import { exportXliff, importXliff } from '../../pipeline/commands/xliff.ts';
import { TranslationMemory } from '../../pipeline/translation/memory.ts';
import { statementText } from './corpus.ts';
import { addRow } from './summary.ts';

const seconds = (started: number) => `${((performance.now() - started) / 1000).toFixed(2)} s`;

export async function bench(corpusDir: string): Promise<Record<string, string | number>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'statements-bench-translators-'));
  try {
    await cp(path.join(corpusDir, 'statements'), path.join(dir, 'statements'), { recursive: true });
    await cp(path.join(corpusDir, 'locales'), path.join(dir, 'locales'), { recursive: true });
    // As after `statements extract`, which caches the parsed statements that export reads back.
    await cp(path.join(corpusDir, '.cache', 'trees'), path.join(dir, '.cache', 'trees'), { recursive: true }).catch(() => undefined);
    const config = await loadConfig(dir);
    const statements = (await readdir(config.statementsDir)).length;
    const figures: Record<string, string | number> = { statements };

    let started = performance.now();
    await TranslationMemory.load(config);
    figures['memory load (all catalogs)'] = seconds(started);

    started = performance.now();
    const exported = await exportXliff(config, { locale: 'nl', outDir: 'xliff' });
    figures['xliff export nl (2.0, all, after extract)'] = seconds(started);
    addRow({
      stage: `XLIFF export, ${statements} statements, after extract`,
      ours: figures['xliff export nl (2.0, all, after extract)'],
      target: '< 3 s for 1,000',
    });
    figures['xliff units exported'] = exported.files.reduce((sum, file) => sum + file.units, 0);
    await rm(path.join(config.cacheDir, 'trees'), { recursive: true, force: true });
    started = performance.now();
    await exportXliff(config, { locale: 'nl', outDir: 'xliff' });
    figures['xliff export nl, nothing cached (parses every statement)'] = seconds(started);

    started = performance.now();
    const imported = await importXliff(
      config,
      exported.files.map((file) => file.path),
    );
    figures['xliff import nl, unchanged (all)'] = seconds(started);
    figures['files written by the unchanged import'] = imported.files.reduce((sum, file) => sum + file.writes.length, 0);

    started = performance.now();
    await statusProject(config);
    figures['status with word counts'] = seconds(started);

    // 50 new statements: the memory finds their boilerplate (signature, contact block) already translated.
    for (let index = statements; index < statements + 50; index++) {
      await writeFile(path.join(config.statementsDir, `statement-${String(index).padStart(4, '0')}.md`), statementText(index));
    }
    started = performance.now();
    const report = await extractProject(config);
    figures['extract of 50 new statements with memory'] = seconds(started);
    for (const locale of ['nl', 'fr']) {
      const reused = report.statements.reduce((sum, statement) => sum + (statement.counts.reused?.[locale]?.words ?? 0), 0);
      figures[`words reused from memory (${locale})`] = reused;
    }
    started = performance.now();
    const rows = (await statusProject(config)).rows;
    figures['status with 50 untranslated statements (fuzzy look-ups)'] = seconds(started);
    figures['words with a fuzzy suggestion (nl)'] = rows.filter((row) => row.locale === 'nl').reduce((sum, row) => sum + row.words.fuzzy, 0);
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
