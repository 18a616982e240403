import { describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { buildProject } from '../pipeline/commands/build.ts';
import { statusProject } from '../pipeline/commands/status.ts';
import { exportXliff, importXliff } from '../pipeline/commands/xliff.ts';
import { formatReport } from '../pipeline/diagnostics.ts';
import { unreviewed } from '../pipeline/commands/review.ts';
import { fixtures, makeProject, readJson } from './helpers.ts';

const override = 'Lees het bestand <1/> en de <2>volledige verklaring</2> na.';

/** The CAT fixture with nl translated (from its XLIFF) and nl-BE / fr-BE configured as variants. */
async function variantProject() {
  const root = await makeProject();
  await cp(path.join(fixtures, 'xliff-cat', 'statements'), path.join(root, 'statements'), { recursive: true });
  const config = resolveConfig({ locales: ['nl', 'en', 'nl-BE'], fallback: { 'nl-BE': ['nl'] } }, root);
  await extractProject(config);
  await importXliff(config, [path.join(fixtures, 'xliff-cat', 'cat.nl.xlf')]);
  return { root, config };
}

describe('regional variants', () => {
  it('are thin override bundles: extract writes only the strings that differ, and no memory pre-fill', async () => {
    const { root, config } = await variantProject();
    expect(await readJson(path.join(root, 'locales/nl-BE/cat.json'))).toEqual({});
    await writeFile(path.join(root, 'locales/nl-BE/cat.json'), JSON.stringify({ 'meta.title': '', 'intro.read-the-file-and': override }));
    const statement = path.join(root, 'statements', 'cat.md');
    await writeFile(statement, `${await readFile(statement, 'utf8')}\nSecurity update\n`);
    await extractProject(config);
    expect(await readJson(path.join(root, 'locales/nl-BE/cat.json'))).toEqual({ 'intro.read-the-file-and': override });
  });

  it('fall back to their parent locale through i18next when built', async () => {
    const { root, config } = await variantProject();
    await writeFile(path.join(root, 'locales/nl-BE/cat.json'), JSON.stringify({ 'intro.read-the-file-and': override }));
    const report = await buildProject(config);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    const built = await readFile(path.join(config.outDir, 'nl-BE', 'cat', 'cat-nl-BE.md'), 'utf8');
    expect(built).toContain('lang: nl-BE');
    expect(built).toContain('title: "Beveiligingsupdate"'); // in the author's own quotes
    expect(built).toContain('Technisch directeur');
    expect(built).toContain('Lees het bestand `config` en de [volledige verklaring](https://example.com/s) na.');
  });

  it('count only their overrides in status and review', async () => {
    const { root, config } = await variantProject();
    await writeFile(path.join(root, 'locales/nl-BE/cat.json'), JSON.stringify({ 'intro.read-the-file-and': override }));
    const rows = (await statusProject(config)).rows;
    expect(rows.find((row) => row.locale === 'nl-BE')).toMatchObject({ segments: 1, translated: 1, missing: 0, percent: 100, variant: true });
    expect((await unreviewed(config)).segments.filter((segment) => segment.locale === 'nl-BE').map((segment) => segment.key)).toEqual([
      'intro.read-the-file-and',
    ]);
  });

  it('exchange only overrides through XLIFF, showing the translator the string they fall back to', async () => {
    const { root, config } = await variantProject();
    await exportXliff(config, { locale: 'nl-BE', outDir: 'out' });
    const file = path.join(root, 'out', 'cat.nl-BE.xlf');
    const xml = await readFile(file, 'utf8');
    expect(xml).toContain('<note category="fallback">Without an override this shows the nl text: Beveiligingsupdate</note>');
    expect(xml).not.toContain('<target>');
    // The translator keeps the Dutch title as it is and words one sentence the Belgian way.
    const edited = xml
      .replace('<source>Security update</source>', '<source>Security update</source>\n        <target>Beveiligingsupdate</target>')
      .replace(
        /(<unit id="intro\.read-the-file-and">[\s\S]*?<\/source>)/,
        '$1\n        <target>Lees het bestand <ph id="1"/> en de <pc id="2">volledige verklaring</pc> na.</target>',
      )
      .replace(/<segment state="initial">/g, '<segment state="translated">');
    await writeFile(file, edited);
    const report = await importXliff(config, [file]);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    expect(await readJson(path.join(root, 'locales/nl-BE/cat.json'))).toEqual({ 'intro.read-the-file-and': override });
  });
});
