import { describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { statusProject } from '../pipeline/commands/status.ts';
import { exportXliff, importXliff } from '../pipeline/commands/xliff.ts';
import { formatReport } from '../pipeline/diagnostics.ts';
import { unreviewed } from '../pipeline/commands/review.ts';
import { wordCount } from '../pipeline/translation/memory.ts';
import { fixtures, makeProject, readJson, runCli } from './helpers.ts';

/** The CAT fixture project with the nl file imported: one unit reviewed, one final, one draft, two translated. */
async function reviewedProject() {
  const root = await makeProject();
  await cp(path.join(fixtures, 'xliff-cat', 'statements'), path.join(root, 'statements'), { recursive: true });
  const config = resolveConfig({ locales: ['nl', 'en'] }, root);
  await extractProject(config);
  await importXliff(config, [path.join(fixtures, 'xliff-cat', 'cat.nl.xlf')]);
  return { root, config };
}

const stateFile = (root: string) => path.join(root, 'locales', '.state', 'cat.json');

describe('review state', () => {
  it('status shows translated and reviewed apart', async () => {
    const { config } = await reviewedProject();
    expect((await statusProject(config)).rows[0]).toMatchObject({ translated: 5, reviewed: 2, needsReview: 1, missing: 0, percent: 100 });
  });

  it('statements status prints review columns and the words per locale an agency quote is based on', async () => {
    const { root, config } = await reviewedProject();
    await writeFile(path.join(root, 'statements.config.json'), JSON.stringify({ locales: ['nl', 'en'] }));
    const result = await runCli(['status'], root);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').map((line) => line.split(/\s+/).filter(Boolean));
    expect(lines[0]).toEqual(['statement', 'locale', 'translated', 'reviewed', 'to', 'review', 'missing', 'stale', 'obsolete', 'complete']);
    // "to review" is what --require-reviewed withholds the version for: everything not reviewed or final.
    expect(lines[2]).toEqual(['cat', 'nl', '5', '2', '3', '0', '0', '0', '100%']);
    expect((await unreviewed(config)).segments).toHaveLength(3);
    const words = lines.findIndex((line) => line[0] === 'locale' && line[1] === 'words');
    expect(lines[words]).toEqual(['locale', 'words', 'new', 'reused', 'fuzzy', 'stale', 'translated', 'reviewed']);
    // The title and the signature are reviewed (or final); the rest translated or imported as a draft.
    const source = await readJson(path.join(root, 'locales/en/cat.json'));
    const count = (keys: string[]) => String(keys.reduce((sum, key) => sum + wordCount(source[key]!), 0));
    const reviewed = ['meta.title', 'intro.gijsbert-zijlstra-technical-director'];
    const others = Object.keys(source).filter((key) => !reviewed.includes(key));
    expect(lines[words + 2]).toEqual(['nl', count(Object.keys(source)), '0', '0', '0', '0', count(others), count(reviewed)]);
  });

  it('survives extract, and an edit of the statement elsewhere', async () => {
    const { root, config } = await reviewedProject();
    const before = JSON.parse(await readFile(stateFile(root), 'utf8')).targets.nl;
    const statement = path.join(root, 'statements', 'cat.md');
    await writeFile(statement, `${await readFile(statement, 'utf8')}\nA new closing paragraph.\n`);
    await extractProject(config);
    const after = JSON.parse(await readFile(stateFile(root), 'utf8')).targets.nl;
    expect(after).toEqual(before);
    expect((await statusProject(config)).rows[0]).toMatchObject({ reviewed: 2, missing: 1 });
  });

  it('survives an XLIFF round trip, and a reviewer can set it in the CAT tool', async () => {
    const { root, config } = await reviewedProject();
    await exportXliff(config, { locale: 'nl', outDir: 'out' });
    const file = path.join(root, 'out', 'cat.nl.xlf');
    const xml = await readFile(file, 'utf8');
    expect(xml.match(/<segment state="(\w+)"/g)).toEqual([
      '<segment state="reviewed"',
      '<segment state="translated"',
      '<segment state="translated"',
      '<segment state="final"',
      '<segment state="initial"',
    ]);
    await writeFile(file, xml.replace(/<segment state="(translated|initial)"( subState="[^"]*")?/g, '<segment state="reviewed"'));
    await importXliff(config, [file]);
    expect((await statusProject(config)).rows[0]).toMatchObject({ reviewed: 5, needsReview: 0 });
  });

  it('lists the segments publish --require-reviewed refuses, at their place in the locale file', async () => {
    const { root, config } = await reviewedProject();
    const report = await unreviewed(config);
    expect(report.segments).toMatchObject([
      { slug: 'cat', locale: 'nl', key: 'intro.we-updated-the-firmware', reason: 'translated' },
      { slug: 'cat', locale: 'nl', key: 'intro.contact-our-support-team', reason: 'translated' },
      { slug: 'cat', locale: 'nl', key: 'intro.read-the-file-and', reason: 'import' },
    ]);
    expect(formatReport(report.diagnostics.files, root).split('\n')[0]).toBe(
      'locales/nl/cat.json:3:3  error  Unreviewed nl translation of `intro.we-updated-the-firmware` (translated), expected state `reviewed` or `final`  unreviewed-translation',
    );
  });

  it('a hand edit of a reviewed translation needs a new review', async () => {
    const { root, config } = await reviewedProject();
    const file = path.join(root, 'locales', 'nl', 'cat.json');
    const nl = await readJson(file);
    await writeFile(file, JSON.stringify({ ...nl, 'meta.title': 'Veiligheidsupdate' }, null, 2));
    await extractProject(config);
    expect((await unreviewed(config)).segments.map((segment) => segment.key)).toContain('meta.title');
    expect((await statusProject(config)).rows[0]).toMatchObject({ reviewed: 1 });
  });
});
