import { beforeAll, describe, expect, it } from 'vitest';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fromXml } from 'xast-util-from-xml';
import { visit } from 'unist-util-visit';
import type { Element } from 'xast';
import { resolveConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { exportXliff, importXliff } from '../pipeline/commands/xliff.ts';
import { copyOfRepository, fixtures, makeProject, readJson } from './helpers.ts';
import { validate, xliffSchemas, type SchemaVersion } from './setup/xliff-schemas.ts';

const front = (title: string) => `---\ntitle: ${title}\ndate: "2024-03-01"\nlang: en\n---\n\n`;
const near = 'If you have any questions about this statement, you can of course contact our press office.';
const other = near.replace('press', 'sales');

/**
 * The CAT fixture (reviewed, final, draft and translated units), with one
 * translation made stale and new paragraphs holding every other inline
 * construct (email, image, HTML, strong) and a near translation-memory match.
 */
async function everyConstruct() {
  const root = await makeProject({ 'statements/tm.md': `${front('Memory')}${other}\n` });
  await cp(path.join(fixtures, 'xliff-cat', 'statements'), path.join(root, 'statements'), { recursive: true });
  const config = resolveConfig({}, root);
  await extractProject(config);
  await importXliff(config, [path.join(fixtures, 'xliff-cat', 'cat.nl.xlf'), path.join(fixtures, 'xliff-cat', 'cat.fr.xlf')]);
  for (const locale of ['nl', 'fr']) {
    const file = path.join(root, 'locales', locale, 'tm.json');
    const source = await readJson(path.join(root, 'locales', 'en', 'tm.json'));
    await writeFile(file, JSON.stringify(Object.fromEntries(Object.entries(source).map(([key, text]) => [key, `${locale}: ${text}`]))));
  }
  const statement = path.join(root, 'statements', 'cat.md');
  const extra = [
    'Write to <press@example.com> or see <https://example.com/faq> and ![the logo](https://example.com/logo.png "Logo").',
    'A **strong** word, <span>raw HTML</span> and a line  \nbreak.',
    near,
  ];
  await writeFile(statement, (await readFile(statement, 'utf8')).replace('phones.', 'desk phones.') + `\n${extra.join('\n\n')}\n`);
  await extractProject(config);
  return { root, config };
}

describe('XLIFF exports against the OASIS schemas', () => {
  let schemas: Record<SchemaVersion, string>;
  let exported: Record<SchemaVersion, string[]>;

  beforeAll(async () => {
    schemas = await xliffSchemas();
    const { root, config } = await everyConstruct();
    exported = { '1.2': [], '2.0': [] };
    for (const version of ['1.2', '2.0'] as const) {
      for (const locale of ['nl', 'fr']) {
        const outDir = path.join(root, `out-${version}`);
        const report = await exportXliff(config, { locale, version, outDir, slugs: ['cat'] });
        expect(report.diagnostics.count().errors).toBe(0);
        exported[version].push(path.join(outDir, `cat.${locale}.xlf`));
      }
    }
  });

  it.each(['2.0', '1.2'] as const)('XLIFF %s exports with every inline construct, notes, memory matches and states validate', async (version) => {
    const xml = (await Promise.all(exported[version].map((file) => readFile(file, 'utf8')))).join('\n');
    // The exports hold what they are meant to test.
    const constructs =
      version === '2.0'
        ? ['<pc ', '<ph ', 'mailto:press@example.com', '<mtc:match ', '<note ', 'state="reviewed"', 'state="final"', 'state="initial"', 'state="translated"']
        : [
            '<g ',
            '<x ',
            'mailto:press@example.com',
            '<alt-trans ',
            '<note ',
            'state="signed-off"',
            'state="final"',
            'state="needs-review-translation"',
            'state="translated"',
          ];
    for (const construct of constructs) expect(xml).toContain(construct);
    for (const file of exported[version]) {
      const { code, output } = validate(schemas[version], file);
      expect(code, output).toBe(0);
    }
  });

  it.each(['2.0', '1.2'] as const)("XLIFF %s exports of the repository's statements validate", async (version) => {
    const root = await copyOfRepository();
    const config = resolveConfig({}, root);
    for (const locale of ['nl', 'fr']) {
      const report = await exportXliff(config, { locale, version, outDir: 'out' });
      expect(report.diagnostics.count().errors).toBe(0);
      expect(report.files.length).toBeGreaterThan(0);
    }
    const files = await readdir(path.join(root, 'out'));
    expect(files.length).toBeGreaterThan(1);
    for (const file of files) {
      const { code, output } = validate(schemas[version], path.join(root, 'out', file));
      expect(code, output).toBe(0);
    }
  });

  it('1.2 placeholders carry equiv-text and a ctype the strict schema allows', async () => {
    const xml = (await Promise.all(exported['1.2'].map((file) => readFile(file, 'utf8')))).join('\n');
    const placeholders: Element[] = [];
    for (const file of exported['1.2']) {
      visit(fromXml(await readFile(file, 'utf8')), 'element', (node: Element) => {
        if (node.name === 'x') placeholders.push(node);
      });
    }
    expect(placeholders.length).toBeGreaterThan(0);
    for (const { attributes } of placeholders) {
      expect(attributes['equiv-text'], JSON.stringify(attributes)).toMatch(/\S/);
      expect(attributes.ctype, JSON.stringify(attributes)).toMatch(/^(image|pb|lb|x-.+)$/);
    }
    const shown = placeholders.map(({ attributes }) => `${attributes.ctype} ${attributes['equiv-text']}`);
    // Paired codes say where a link goes, too.
    expect(xml).toContain('<g id="2" ctype="link" equiv-text="https://example.com/s">');
    for (const expected of [
      'x-email mailto:press@example.com',
      'x-link https://example.com/faq',
      'image the logo',
      'lb ↵',
      'x-html <span>',
      'x-inlineCode config',
    ])
      expect(shown).toContain(expected);
  });

  it('fails a file the schema does not allow, so these tests can fail', async () => {
    const [file] = exported['1.2'];
    const xml = await readFile(file!, 'utf8');
    const invalid = file!.replace(/\.xlf$/, '.invalid.xlf');
    const broken = xml.replace(/<x id="(\d+)"[^>]*\/>/, '<x id="$1" ctype="link"/>');
    expect(broken).not.toBe(xml);
    await writeFile(invalid, broken);
    const { code, output } = validate(schemas['1.2'], invalid);
    expect(code).not.toBe(0);
    expect(output).toMatch(/ctype/);
  });
});
