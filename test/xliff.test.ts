import { describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import xliff2js from 'xliff/xliff2js';
import xliff12ToJs from 'xliff/xliff12ToJs';
import { resolveConfig, type UserConfig } from '../pipeline/config.ts';
import { extractProject } from '../pipeline/commands/extract.ts';
import { exportStatements, exportXliff, importXliff, type ExportShard } from '../pipeline/commands/xliff.ts';
import { findStatements } from '../pipeline/project/project.ts';
import { taskBundle } from '../pipeline/project/worker-bundle.ts';
import { formatReport } from '../pipeline/diagnostics.ts';
import { readCatalog } from '../pipeline/project/project.ts';
import { Diagnostics } from '../pipeline/diagnostics.ts';
import { translationState } from '../pipeline/translation/review.ts';
import { validateTranslation } from '../pipeline/translation/settings.ts';
import { escapeText } from '../pipeline/extract/inline.ts';
import { block, serializeDocument, textNodes } from '../pipeline/project/xml.ts';
import { toXml } from 'xast-util-to-xml';
import { x } from 'xastscript';
import { copyOfRepository, fixtures, inOneWorker, makeProject, readJson, runCli, snapshot } from './helpers.ts';

const REAL = 'lydis-statement-follow-the-money';

/** A copy of the CAT fixture project, extracted (empty nl and fr bundles). */
async function catProject(user: UserConfig = {}) {
  const root = await makeProject();
  await cp(path.join(fixtures, 'xliff-cat', 'statements'), path.join(root, 'statements'), { recursive: true });
  const config = resolveConfig(user, root);
  await extractProject(config);
  return { root, config };
}

const catFile = (locale: string) => path.join(fixtures, 'xliff-cat', `cat.${locale}.xlf`);

/** Review state of every key of `slug` in `locale`. */
async function statesOf(config: ReturnType<typeof resolveConfig>, slug: string, locale: string) {
  const catalog = await readCatalog(slug, config, new Diagnostics(config.root));
  const source = catalog.bundles.get('en')!.bundle;
  const bundle = catalog.bundles.get(locale)!.bundle;
  return Object.fromEntries(Object.keys(source).map((key) => [key, translationState(catalog.state?.targets[locale]?.[key], source[key]!, bundle[key]).state]));
}

/** The `xliff` package's inline representation back to our tagged text. */
function tagged(value: XliffJsValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return escapeText(value);
  return value
    .map((part) => {
      if (typeof part === 'string') return escapeText(part);
      const [kind, code] = Object.entries(part)[0]!;
      return kind === 'Standalone' ? `<${code.id}/>` : `<${code.id}>${tagged(code.contents)}</${code.id}>`;
    })
    .join('');
}

describe('xliff export and import', () => {
  it('writes the same files and reports the same problems on worker threads as in one thread', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 12 }, (_, index) => [
        `statements/s${index}.md`,
        `---\ntitle: Statement ${index}\ndate: 2024-05-0${1 + (index % 9)}\nlang: en\n---\n\nStatement ${index} says *hello* to [the press](https://example.com/${index}).\n`,
      ]),
    );
    files['statements/broken.md'] = '---\ntitle: [unclosed\n---\n\nText.\n';
    const root = await makeProject(files);
    const config = resolveConfig({}, root);
    await extractProject(config);
    const parallel = await exportXliff(config, { locale: 'nl', outDir: 'threads', jobs: 2 });
    const serial = await exportXliff(config, { locale: 'nl', outDir: 'thread', jobs: 1 });
    expect(parallel.files.map((file) => [file.slug, file.units, file.changed])).toEqual(serial.files.map((file) => [file.slug, file.units, file.changed]));
    expect(parallel.files).toHaveLength(12);
    const written = async (dir: string) => Promise.all(parallel.files.map((file) => readFile(path.join(root, dir, path.basename(file.path)), 'utf8')));
    expect(await written('threads')).toEqual(await written('thread'));
    expect(formatReport(parallel.diagnostics.files, root)).toBe(formatReport(serial.diagnostics.files, root));
    expect(formatReport(parallel.diagnostics.files, root)).toContain('statements/broken.md:2:');
  });

  it('hands a worker’s files and problems back as its own thread would, the worker loading the export from its bundle', async () => {
    const root = await makeProject({
      'statements/one.md': '---\ntitle: One\ndate: 2024-05-01\nlang: en\n---\n\nThe *first* statement.\n',
      'statements/broken.md': '---\ntitle: [unclosed\n---\n\nText.\n',
    });
    const config = resolveConfig({}, root);
    await extractProject(config);
    const entries = await findStatements(config, new Diagnostics(root));
    const module = new URL('../pipeline/commands/xliff.ts', import.meta.url);
    const bundle = await taskBundle(module);
    expect(bundle).toBeDefined();
    const there = await inOneWorker<ExportShard>(module, 'exportStatements', entries, [config, { locale: 'nl', outDir: path.join(root, 'there') }], bundle);
    const here = await exportStatements(entries, config, { locale: 'nl', outDir: path.join(root, 'here') });
    expect(there.files.map((file) => [file.slug, file.units, path.basename(file.path)])).toEqual([['one', 2, 'one.nl.xlf']]);
    expect(there.files.map((file) => [file.slug, file.units])).toEqual(here.files.map((file) => [file.slug, file.units]));
    expect(there.messages).toEqual(here.messages);
    expect(JSON.stringify(there.messages)).toContain('Invalid front matter');
    expect(await readFile(path.join(root, 'there', 'one.nl.xlf'), 'utf8')).toBe(await readFile(path.join(root, 'here', 'one.nl.xlf'), 'utf8'));
  });

  it('lets a translator change one Dutch unit of the real statement and see exactly that string change in locales/nl', async () => {
    const root = await copyOfRepository();
    const nlFile = path.join(root, 'locales', 'nl', `${REAL}.json`);
    const before = await readJson(nlFile);
    const others = await snapshot(path.join(root, 'locales', 'fr'));
    const exported = await runCli(['xliff', 'export', '--locale', 'nl', REAL], root);
    expect(exported.code, exported.stderr).toBe(0);
    const file = path.join(root, 'xliff', `${REAL}.nl.xlf`);
    const xml = await readFile(file, 'utf8');
    const changed = xml.replace(
      /(<unit id="meta\.summary">[\s\S]*?<target>)[^<]*(<\/target>)/,
      '$1Lydis reageert op de artikels van Follow The Money en De Tijd.$2',
    );
    expect(changed).not.toBe(xml);
    await writeFile(file, changed);

    const imported = await runCli(['xliff', 'import', file], root);
    expect(imported.code, imported.stderr).toBe(0);
    const after = await readJson(nlFile);
    const differences = Object.keys(after).filter((key) => after[key] !== before[key]);
    expect(differences).toEqual(['meta.summary']);
    expect(after['meta.summary']).toBe('Lydis reageert op de artikels van Follow The Money en De Tijd.');
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(await snapshot(path.join(root, 'locales', 'fr'))).toEqual(others);
  });

  it.each(['2.0', '1.2'] as const)('changes no file when an unedited XLIFF %s export is imported', async (version) => {
    const { root, config } = await catProject();
    await importXliff(config, [catFile('nl'), catFile('fr')]);
    // Make one translation stale and leave one empty, so every state is in the export.
    const statement = path.join(root, 'statements', 'cat.md');
    await writeFile(statement, (await readFile(statement, 'utf8')).replace('phones.', 'desk phones.') + '\nA sentence nobody translated yet.\n');
    await extractProject(config);
    const before = await snapshot(path.join(root, 'locales'));
    for (const locale of ['nl', 'fr']) {
      const report = await exportXliff(config, { locale, version, outDir: 'out' });
      expect(report.diagnostics.count().errors).toBe(0);
      const imported = await importXliff(config, [path.join(root, 'out', `cat.${locale}.xlf`)]);
      expect(formatReport(imported.diagnostics.files, root)).toBe('');
      expect(imported.files[0]!.writes).toEqual([]);
    }
    expect(await snapshot(path.join(root, 'locales'))).toEqual(before);
  });

  it.each([
    ['2.0', 'nl', xliff2js],
    ['1.2', 'fr', xliff12ToJs],
  ] as const)('writes XLIFF %s that the xliff package reads back to the same strings', async (version, locale, parse) => {
    const root = await copyOfRepository();
    const config = resolveConfig({}, root);
    await exportXliff(config, { locale, version, outDir: 'out' });
    const js = await parse(await readFile(path.join(root, 'out', `${REAL}.${locale}.xlf`), 'utf8'));
    expect([js.sourceLanguage, js.targetLanguage]).toEqual(['en', locale]);
    const units = Object.values(js.resources)[0]!;
    const source = await readJson(path.join(root, 'locales', 'en', `${REAL}.json`));
    const target = await readJson(path.join(root, 'locales', locale, `${REAL}.json`));
    expect(Object.keys(units)).toEqual(Object.keys(source));
    for (const [key, unit] of Object.entries(units)) {
      expect(tagged(unit.source)).toBe(source[key]);
      expect(tagged(unit.target)).toBe(target[key]);
    }
    // Inline codes are XLIFF elements, not text a CAT tool would let a translator break.
    expect(JSON.stringify(units)).toMatch(version === '2.0' ? /"Standalone"|"GenericSpan"/ : /"GenericSpan"/);
  });

  it('imports XLIFF 2.0 and 1.2 written the way CAT tools write them: codes, split segments, markers, states', async () => {
    const { root, config } = await catProject();
    const report = await importXliff(config, [catFile('nl'), catFile('fr')]);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    expect(await readJson(path.join(root, 'locales/nl/cat.json'))).toEqual({
      'meta.title': 'Beveiligingsupdate',
      'intro.we-updated-the-firmware': 'We hebben de <1>firmware</1> van alle <2>oudere</2> toestellen bijgewerkt.',
      'intro.contact-our-support-team': 'Neem vandaag contact op met <1>ons supportteam</1>.',
      'intro.gijsbert-zijlstra-technical-director': 'Gijsbert Zijlstra<1/>Technisch directeur',
      'intro.read-the-file-and': 'Lees het bestand <1/> en de <2>volledige verklaring</2>.',
    });
    expect(await readJson(path.join(root, 'locales/fr/cat.json'))).toEqual({
      'meta.title': 'Mise à jour de sécurité',
      'intro.we-updated-the-firmware': 'Nous avons mis à jour le <1>micrologiciel</1> de tous les <2>anciens</2> téléphones.',
      'intro.contact-our-support-team': "Contactez <1>notre équipe d'assistance</1> aujourd'hui.",
      'intro.gijsbert-zijlstra-technical-director': 'Gijsbert Zijlstra<1/>Directeur technique',
      'intro.read-the-file-and': 'Lisez le fichier <1/> et la <2>déclaration complète</2>.',
    });
    const expected = {
      'meta.title': 'reviewed',
      'intro.we-updated-the-firmware': 'translated',
      'intro.gijsbert-zijlstra-technical-director': 'final',
      // Unconfirmed in the tool: imported as a draft to review.
      'intro.read-the-file-and': 'initial',
    };
    expect(await statesOf(config, 'cat', 'nl')).toEqual({ ...expected, 'intro.contact-our-support-team': 'translated' });
    // 1.2: `signed-off` is reviewed; a target without `state` is translated.
    expect(await statesOf(config, 'cat', 'fr')).toEqual({
      ...expected,
      'intro.contact-our-support-team': 'final',
      'intro.gijsbert-zijlstra-technical-director': 'translated',
    });
  });

  describe('review state of XLIFF 1.2', () => {
    /** The fr fixture as translate-toolkit writes it: `approved="yes"` on every target it set, whatever its state. */
    async function approvedEverywhere(root: string) {
      const xml = (await readFile(catFile('fr'), 'utf8'))
        .replace('<target state="signed-off">', '<target state="translated">')
        .replace('<trans-unit id="intro.contact-our-support-team">', '<trans-unit id="intro.contact-our-support-team" approved="yes">')
        .replace('<trans-unit id="intro.gijsbert-zijlstra-technical-director">', '<trans-unit id="intro.gijsbert-zijlstra-technical-director" approved="yes">');
      const file = path.join(root, 'approved.fr.xlf');
      await writeFile(file, xml);
      return file;
    }
    const unchanged = { 'intro.we-updated-the-firmware': 'translated', 'intro.read-the-file-and': 'initial', 'intro.contact-our-support-team': 'final' };

    it('imports approved="yes" alone as translated: only signed-off and final mean review', async () => {
      const { root, config } = await catProject();
      const report = await importXliff(config, [await approvedEverywhere(root)]);
      expect(formatReport(report.diagnostics.files, root)).toBe('');
      expect(await statesOf(config, 'cat', 'fr')).toEqual({
        ...unchanged,
        'meta.title': 'translated',
        'intro.gijsbert-zijlstra-technical-director': 'translated',
      });
    });

    it('imports approved="yes" as reviewed when the user says so, with translation.approvedMeansReviewed or --approved-means-reviewed', async () => {
      const expected = { ...unchanged, 'meta.title': 'reviewed', 'intro.gijsbert-zijlstra-technical-director': 'reviewed' };
      const bySetting = await catProject({ translation: { approvedMeansReviewed: true } });
      await importXliff(bySetting.config, [await approvedEverywhere(bySetting.root)]);
      expect(await statesOf(bySetting.config, 'cat', 'fr')).toEqual(expected);
      const byFlag = await catProject();
      const result = await runCli(['xliff', 'import', '--approved-means-reviewed', await approvedEverywhere(byFlag.root)], byFlag.root);
      expect(result.code, result.stderr).toBe(0);
      expect(await statesOf(byFlag.config, 'cat', 'fr')).toEqual(expected);
    });

    it('refuses a translation.approvedMeansReviewed that is not true or false', () => {
      const reasons: string[] = [];
      validateTranslation(
        { approvedMeansReviewed: 'yes' },
        (reason) => void reasons.push(reason),
        () => true,
      );
      expect(reasons).toEqual(['Unexpected `translation.approvedMeansReviewed`, expected `true` or `false`']);
      expect(resolveConfig({}, '/tmp').translation.approvedMeansReviewed).toBe(false);
    });

    it('exports approved="yes" on reviewed and final units only', async () => {
      const { root, config } = await catProject();
      await importXliff(config, [catFile('fr')]);
      await exportXliff(config, { locale: 'fr', version: '1.2' });
      const xml = await readFile(path.join(root, 'xliff', 'cat.fr.xlf'), 'utf8');
      const approved = [...xml.matchAll(/<trans-unit id="([^"]+)"[^>]*?( approved="yes")?>/g)].map(([, id, yes]) => [id, Boolean(yes)]);
      expect(Object.fromEntries(approved)).toEqual({
        'meta.title': true,
        'intro.we-updated-the-firmware': false,
        'intro.contact-our-support-team': true,
        'intro.gijsbert-zijlstra-technical-director': false,
        'intro.read-the-file-and': false,
      });
    });
  });

  it('reads files CAT tools save as UTF-16 or with a byte-order mark', async () => {
    const { root, config } = await catProject();
    const xml = await readFile(catFile('nl'), 'utf8');
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml.replace('encoding="utf-8"', 'encoding="utf-16"'), 'utf16le')]);
    await writeFile(path.join(root, 'utf16.xlf'), little);
    await writeFile(path.join(root, 'bom.xlf'), `\ufeff${xml.replace('Beveiligingsupdate', 'Veiligheidsupdate')}`);
    const report = await importXliff(config, [path.join(root, 'utf16.xlf'), path.join(root, 'bom.xlf')]);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    expect(report.files.map((file) => file.counts.updated)).toEqual([5, 1]);
    expect((await readJson(path.join(root, 'locales/nl/cat.json')))['meta.title']).toBe('Veiligheidsupdate');
  });

  it('imports a unit of an older export whose source changed as stale, and keeps a translation already there', async () => {
    const { root, config } = await catProject({ locales: ['nl', 'en'] });
    await writeFile(path.join(root, 'locales/nl/cat.json'), JSON.stringify({ 'meta.title': 'Beveiligingsupdate' }));
    await extractProject(config);
    await exportXliff(config, { locale: 'nl', outDir: 'out' });
    const file = path.join(root, 'out', 'cat.nl.xlf');
    // The statement changes after the export: the title and the first paragraph are edited.
    const statement = path.join(root, 'statements', 'cat.md');
    await writeFile(statement, (await readFile(statement, 'utf8')).replace('Security update', 'Security update for phones').replace('phones.', 'desk phones.'));
    await extractProject(config);
    const xml = (await readFile(file, 'utf8'))
      .replace(/(<unit id="meta\.title">[\s\S]*?<target>)[^<]*/, '$1Update')
      .replace(
        /(<unit id="intro\.we-updated-the-firmware">[\s\S]*?<\/source>)/,
        '$1\n        <target>We hebben de <pc id="1">firmware</pc> van alle <pc id="2">oudere</pc> toestellen bijgewerkt.</target>',
      );
    await writeFile(file, xml);

    const report = await importXliff(config, [file]);
    const messages = formatReport(report.diagnostics.files, root);
    expect(messages).toMatch(
      /out\/cat\.nl\.xlf:\d+:5 {2}warning {2}Unit `meta\.title` not imported: its source changed since this file was exported and `nl` already has a translation, which is kept {2}xliff-outdated/,
    );
    expect(messages).toMatch(/Unit `intro\.we-updated-the-firmware` imported as stale/);
    const nl = await readJson(path.join(root, 'locales/nl/cat.json'));
    expect(nl['meta.title']).toBe('Beveiligingsupdate');
    expect(nl['intro.we-updated-the-firmware']).toBe('We hebben de <1>firmware</1> van alle <2>oudere</2> toestellen bijgewerkt.');
    const catalog = await readCatalog('cat', config, new Diagnostics(root));
    const source = catalog.bundles.get('en')!.bundle;
    const state = translationState(
      catalog.state!.targets.nl!['intro.we-updated-the-firmware'],
      source['intro.we-updated-the-firmware']!,
      nl['intro.we-updated-the-firmware'],
    );
    expect(state).toEqual({ state: 'initial', draft: 'stale' });
  });

  it('exports a stale translation as a draft with the source text it was made from, and the kind of every segment', async () => {
    const { root, config } = await catProject({ locales: ['nl', 'en'] });
    await importXliff(config, [catFile('nl')]);
    const statement = path.join(root, 'statements', 'cat.md');
    await writeFile(statement, (await readFile(statement, 'utf8')).replace('phones.', 'desk phones.'));
    await extractProject(config);
    await exportXliff(config, { locale: 'nl', outDir: 'out' });
    const xml = await readFile(path.join(root, 'out', 'cat.nl.xlf'), 'utf8');
    const unit = xml.slice(
      xml.indexOf('<unit id="intro.we-updated-the-firmware">'),
      xml.indexOf('</unit>', xml.indexOf('<unit id="intro.we-updated-the-firmware">')),
    );
    expect(unit).toContain('<note category="kind">paragraph</note>');
    expect(unit).toContain('<note category="previous-source">We updated the &#x3C;1>firmware&#x3C;/1> of all &#x3C;2>older&#x3C;/2> phones.</note>');
    expect(unit).toContain('<segment state="initial" subState="statements:stale">');
    expect(xml).toContain('<note category="kind">title</note>');
  });

  describe('a document with a <file> for no statement', () => {
    /** A second `<file>` as translate-toolkit's `po2xliff` leaves after a PO round trip. */
    const foreign = {
      fr: `  <file original="b.po" source-language="en" target-language="fr" datatype="po">\n    <body>\n      <trans-unit id="1"><source>Hello</source><target>Bonjour</target></trans-unit>\n      <trans-unit id="2"><source>Bye</source><target>Au revoir</target></trans-unit>\n    </body>\n  </file>\n</xliff>`,
      nl: `  <file id="b.po">\n    <unit id="1"><segment state="translated"><source>Hello</source><target>Hallo</target></segment></unit>\n    <unit id="2"><segment><source>Bye</source><target>Doei</target></segment></unit>\n  </file>\n</xliff>`,
    };
    const lineOf = (xml: string, text: string) => xml.slice(0, xml.indexOf(text)).split('\n').length;

    it.each(['fr', 'nl'] as const)(
      'imports the units of the recognised <file>s and refuses the foreign one with its line, as a warning (%s)',
      async (locale) => {
        const { root, config } = await catProject();
        const xml = (await readFile(catFile(locale), 'utf8')).replace('</xliff>', foreign[locale]);
        const file = path.join(root, 'roundtrip.xlf');
        await writeFile(file, xml);
        const report = await importXliff(config, [file]);
        const at = `${lineOf(xml, locale === 'fr' ? '<file original="b.po"' : '<file id="b.po"')}:3`;
        expect(formatReport(report.diagnostics.files, root)).toBe(
          `roundtrip.xlf:${at}  warning  Unknown statement \`b.po\` in \`<file>\`, expected one of \`cat\`: its 2 units are not imported, the other \`<file>\`s are  xliff-unknown-statement\n\n⚠ 0 errors, 1 warning`,
        );
        expect(report.files[0]).toMatchObject({
          slugs: ['cat'],
          refusedFiles: [{ name: 'b.po', line: Number(at.split(':')[0]), units: 2 }],
          counts: { updated: 5, refused: 2 },
        });
        expect((await readJson(path.join(root, `locales/${locale}/cat.json`)))['meta.title']).toBe(
          locale === 'fr' ? 'Mise à jour de sécurité' : 'Beveiligingsupdate',
        );
      },
    );

    it('says so in the import report and exits 0 when the recognised <file>s are imported', async () => {
      const { root } = await catProject();
      const xml = (await readFile(catFile('fr'), 'utf8')).replace('</xliff>', foreign.fr);
      await writeFile(path.join(root, 'roundtrip.xlf'), xml);
      const result = await runCli(['xliff', 'import', 'roundtrip.xlf', '--json'], root);
      expect(result.code, result.stderr).toBe(0);
      const [imported] = JSON.parse(result.stdout).files;
      expect(imported).toMatchObject({ path: 'roundtrip.xlf', slugs: ['cat'], refusedFiles: [{ name: 'b.po', units: 2 }], counts: { updated: 5, refused: 2 } });
    });

    it('still refuses a document none of whose <file>s is for a statement, changing nothing', async () => {
      const { root, config } = await catProject();
      const xml = (await readFile(catFile('fr'), 'utf8')).replace('original="statements/cat.md"', 'original="a.po"').replace('</xliff>', foreign.fr);
      const file = path.join(root, 'foreign.xlf');
      await writeFile(file, xml);
      const report = await importXliff(config, [file]);
      expect(formatReport(report.diagnostics.files, root).split('\n')).toEqual([
        `foreign.xlf:${lineOf(xml, '<file original="a.po"')}:3  error  Unknown statement \`a.po\` in \`<file>\`, expected one of \`cat\`  xliff-unknown-statement`,
        `foreign.xlf:${lineOf(xml, '<file original="b.po"')}:3  error  Unknown statement \`b.po\` in \`<file>\`, expected one of \`cat\`  xliff-unknown-statement`,
        '',
        '✖ 2 errors, 0 warnings',
      ]);
      expect(report.files[0]!.counts.updated).toBe(0);
      expect(report.files[0]!.writes).toEqual([]);
    });
  });

  it('refuses a unit with broken codes or an unknown id, with its line, and imports the other units', async () => {
    const { root, config } = await catProject();
    const xml = (await readFile(catFile('nl'), 'utf8'))
      .replace('ons supportteam<ec startRef="1"/>', 'ons supportteam')
      .replace('<unit id="meta.title">', '<unit id="meta.titel">');
    const file = path.join(root, 'broken.xlf');
    await writeFile(file, xml);
    const report = await importXliff(config, [file]);
    const lineOf = (text: string) => xml.slice(0, xml.indexOf(text)).split('\n').length;
    expect(formatReport(report.diagnostics.files, root).split('\n').slice(0, 2)).toEqual([
      `broken.xlf:${lineOf('<unit id="meta.titel">')}:5  error  Unknown unit id \`meta.titel\` for statement \`cat\`, expected a key of \`statements/cat.md\`; did you mean \`meta.title\`?  xliff-unknown-id`,
      `broken.xlf:${lineOf('<unit id="intro.contact')}:5  error  Unit \`intro.contact-our-support-team\` refused: Tag \`<1>\` is not closed, expected \`</1>\`  xliff-tags`,
    ]);
    expect(report.files[0]!.counts).toMatchObject({ updated: 3, refused: 2 });
    const nl = await readJson(path.join(root, 'locales/nl/cat.json'));
    expect(nl['meta.title']).toBe('');
    expect(nl['intro.contact-our-support-team']).toBe('');
    expect(nl['intro.we-updated-the-firmware']).toBe('We hebben de <1>firmware</1> van alle <2>oudere</2> toestellen bijgewerkt.');
  });

  /** Line and column of the first `text` in `xml`. */
  const placeOf = (xml: string, text: string, last = false) => {
    const before = xml.slice(0, last ? xml.lastIndexOf(text) : xml.indexOf(text)).split('\n');
    return `${before.length}:${before.at(-1)!.length + 1}`;
  };
  const badFiles: Array<[string, (xml: string) => string, (bad: string) => string]> = [
    [
      'malformed XML',
      (xml) => xml.replace('Beveiligingsupdate</target>', 'Beveiligingsupdate</targt>'),
      (bad) => `bad.xlf:${placeOf(bad, '</targt>')}  error  Malformed XML: Missing end tag for element target  xliff-syntax`,
    ],
    [
      'a document type',
      (xml) => xml.replace('<xliff', '<!DOCTYPE xliff SYSTEM "file:///etc/passwd">\n<xliff'),
      (bad) => `bad.xlf:${placeOf(bad, '<!DOCTYPE')}  error  Malformed XML: Unexpected document type declaration, expected none in an XLIFF file  xliff-syntax`,
    ],
    [
      'a file for another statement',
      (xml) => xml.replace('<file id="cat"', '<file id="cats"'),
      (bad) =>
        `bad.xlf:${placeOf(bad, '<file')}  error  Unknown statement \`cats\` in \`<file>\`, expected one of \`cat\`; did you mean \`cat\`?  xliff-unknown-statement`,
    ],
    [
      'a target locale that is not configured',
      (xml) => xml.replace('trgLang="nl"', 'trgLang="de"'),
      (bad) => `bad.xlf:${placeOf(bad, '<xliff')}  error  Unknown target locale \`de\`, expected one of \`nl\`, \`fr\`  xliff-locale`,
    ],
    [
      'a file in another source language',
      (xml) => xml.replace('srcLang="en"', 'srcLang="fr"'),
      (bad) =>
        `bad.xlf:${placeOf(bad, '<xliff')}  error  Unexpected source locale \`fr\`, expected \`en\` (the language of \`statements/cat.md\`)  xliff-locale`,
    ],
    [
      'a file into the source language',
      (xml) => xml.replace('trgLang="nl"', 'trgLang="en"'),
      (bad) =>
        `bad.xlf:${placeOf(bad, '<xliff')}  error  Unexpected target locale \`en\`: it is the source language of \`statements/cat.md\`, which only the statement itself changes  xliff-locale`,
    ],
    [
      'a duplicated unit id',
      (xml) => xml.replace('<unit id="intro.read-the-file-and">', '<unit id="intro.we-updated-the-firmware">'),
      (bad) =>
        `bad.xlf:${placeOf(bad, '<unit id="intro.we-updated', true)}  error  Duplicate unit id \`intro.we-updated-the-firmware\`, first used on line ${placeOf(bad, '<unit id="intro.we-updated').split(':')[0]}  xliff-syntax`,
    ],
  ];

  it.each(badFiles)('refuses %s with its file and line, changing no locale file', async (_, breakIt, message) => {
    const { root, config } = await catProject();
    await writeFile(path.join(root, 'bad.xlf'), breakIt(await readFile(catFile('nl'), 'utf8')));
    const before = await snapshot(path.join(root, 'locales'));
    const report = await importXliff(config, [path.join(root, 'bad.xlf')]);
    const bad = await readFile(path.join(root, 'bad.xlf'), 'utf8');
    expect(formatReport(report.diagnostics.files, root).split('\n')[0]).toBe(message(bad));
    expect(report.diagnostics.count().errors).toBe(1);
    expect(await snapshot(path.join(root, 'locales'))).toEqual(before);
  });

  it('exits with code 1 on a bad XLIFF file and still imports the good one', async () => {
    const { root } = await catProject();
    await writeFile(path.join(root, 'bad.xlf'), '<xliff version="2.0" trgLang="nl"><file id="cat">');
    const result = await runCli(['xliff', 'import', 'bad.xlf', catFile('fr')], root);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.xlf:1:50 {2}error {2}Malformed XML: Missing end tag for element file {2}xliff-syntax/);
    expect((await readJson(path.join(root, 'locales/fr/cat.json')))['meta.title']).toBe('Mise à jour de sécurité');
  });
});

describe('XML writing', () => {
  it('writes what xast-util-to-xml writes: forbidden control characters dropped, & < escaped in text, & < " in attributes, ]]> and ?> never closing early', () => {
    const nasty = 'a & b < c > d "e" \'f\' ]]> g ?> \u0001\u000b\u001f tab\tline\nend é 😀';
    const tree = block('root', { plain: 'x', nasty, number: 7, absent: undefined }, 0, [
      x('text', {}, textNodes(nasty)),
      x('empty', { nasty }),
      x('mixed', {}, [nasty, x('inner', { id: nasty }, nasty)]),
      { type: 'element', name: 'raw', attributes: {}, children: [{ type: 'cdata', value: nasty }] },
    ]);
    const declaration = { type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"' } as const;
    const expected = `${toXml([declaration, { type: 'text', value: '\n' }, tree], { closeEmptyElements: true, tightClose: true })}\n`;
    expect(serializeDocument(tree)).toBe(expected);
    expect(expected).toContain('&#x26; b &#x3C; c');
  });
});
