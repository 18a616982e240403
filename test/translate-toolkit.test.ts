/**
 * The real translate-toolkit (Debian `python3-translate` and `translate-toolkit`, installed by .ci/run)
 * against our XLIFF and locale bundles. Debian's toolkit is installed for /usr/bin/python3, which need
 * not be the first python3 on PATH, so every tool is called by its absolute path. A missing toolkit
 * fails these tests: it is not a reason to skip them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { resolveConfig } from '../pipeline/config.ts';
import { buildProject, exportXliff, extractProject, formatReport, importXliff } from '../pipeline/index.ts';
import { readCatalog } from '../pipeline/project/project.ts';
import { Diagnostics } from '../pipeline/diagnostics.ts';
import { translationState } from '../pipeline/translation/review.ts';
import { fixtures, makeProject, readJson } from './helpers.ts';

const PYTHON = '/usr/bin/python3';
const XLIFF2PO = '/usr/bin/xliff2po';
const PO2XLIFF = '/usr/bin/po2xliff';

/** Run a program, failing the test with its output when it does not exit 0. */
function run(program: string, args: string[], cwd?: string): string {
  const result = spawnSync(program, args, { cwd, encoding: 'utf8' });
  if (result.error) throw result.error;
  expect(result.status, `${program} ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

const python = (script: string, ...args: string[]) => run(PYTHON, ['-c', script, ...args]);

beforeAll(() => {
  const missing = [PYTHON, XLIFF2PO, PO2XLIFF].filter((tool) => !existsSync(tool));
  const library = missing.length ? null : spawnSync(PYTHON, ['-c', 'import translate.storage.xliff, translate.storage.jsonl10n']);
  if (missing.length || library?.status !== 0)
    throw new Error(
      `translate-toolkit is missing (${missing.join(', ') || `${PYTHON} cannot import translate`}): install the Debian packages python3-translate and translate-toolkit (.ci/run does)`,
    );
});

/** A copy of the CAT fixture project, extracted; `locales` are filled from the CAT fixture's XLIFF. */
async function catProject(locales: string[] = []) {
  const root = await makeProject();
  await cp(path.join(fixtures, 'xliff-cat', 'statements'), path.join(root, 'statements'), { recursive: true });
  const config = resolveConfig({}, root);
  await extractProject(config);
  if (locales.length) {
    const report = await importXliff(
      config,
      locales.map((locale) => path.join(fixtures, 'xliff-cat', `cat.${locale}.xlf`)),
    );
    expect(formatReport(report.diagnostics.files, root)).toBe('');
  }
  return { root, config };
}

/** Review state of every key of `cat` in `locale`. */
async function statesOf(config: ReturnType<typeof resolveConfig>, locale: string) {
  const catalog = await readCatalog('cat', config, new Diagnostics(config.root));
  const source = catalog.bundles.get('en')!.bundle;
  const bundle = catalog.bundles.get(locale)!.bundle;
  return Object.fromEntries(Object.keys(source).map((key) => [key, translationState(catalog.state?.targets[locale]?.[key], source[key]!, bundle[key]).state]));
}

const french = {
  'meta.title': 'Mise à jour de sécurité',
  'intro.we-updated-the-firmware': 'Nous avons mis à jour le <1>micrologiciel</1> de tous les <2>anciens</2> téléphones.',
  'intro.contact-our-support-team': "Contactez <1>notre équipe d'assistance</1> aujourd'hui.",
  'intro.gijsbert-zijlstra-technical-director': 'Gijsbert Zijlstra<1/>Directeur technique',
  'intro.read-the-file-and': 'Lisez le fichier <1/> et la <2>déclaration complète</2>.',
};

/**
 * translate-toolkit's XLIFF storage: each target is a copy of the source's rich
 * tree (its `<g>`/`<x>` codes) whose text leaves, in order, are replaced by
 * argv[2][id]; every unit it sets is marked approved, as Pootle and Weblate do.
 */
const translateXliff = `
import sys, json, copy
from translate.storage import xliff
from translate.storage.placeables import StringElem
path, texts = sys.argv[1], json.loads(sys.argv[2])
with open(path, 'rb') as f:
    store = xliff.xlifffile.parsefile(f)
for unit in store.getunits():
    leaves = list(texts[unit.xmlelement.get('id')])
    rich = [copy.deepcopy(elem) for elem in unit.rich_source]
    def fill(elem):
        for i, sub in enumerate(elem.sub):
            if isinstance(sub, str):
                elem.sub[i] = leaves.pop(0)
            else:
                fill(sub)
    for elem in rich:
        fill(elem)
    assert not leaves, (unit.getid(), leaves)
    unit.rich_target = rich
    unit.markapproved(True)
store.savefile(path)
`;

/** translate-toolkit's i18next JSON v4 storage (Weblate's "i18next JSON v4"): set one key's target, save. */
const editI18next = `
import sys
from translate.storage import jsonl10n
path, key, value = sys.argv[1:4]
with open(path, 'rb') as f:
    store = jsonl10n.I18NextV4File(f)
[unit] = [unit for unit in store.units if unit.getid().lstrip('.') == key]
unit.target = value
store.savefile(path)
`;

describe('translate-toolkit', () => {
  it('XLIFF storage: reads our 1.2 export, sets targets with the inline codes, and our import takes them, approved="yes" as translated', async () => {
    const { root, config } = await catProject();
    await exportXliff(config, { locale: 'fr', version: '1.2', outDir: 'out' });
    const file = path.join(root, 'out', 'cat.fr.xlf');
    const leaves = {
      'meta.title': ['Mise à jour de sécurité'],
      'intro.we-updated-the-firmware': ['Nous avons mis à jour le ', 'micrologiciel', ' de tous les ', 'anciens', ' téléphones.'],
      'intro.contact-our-support-team': ['Contactez ', "notre équipe d'assistance", " aujourd'hui."],
      'intro.gijsbert-zijlstra-technical-director': ['Gijsbert Zijlstra', 'Directeur technique'],
      'intro.read-the-file-and': ['Lisez le fichier ', ' et la ', 'déclaration complète', '.'],
    };
    python(translateXliff, file, JSON.stringify(leaves));
    const xml = await readFile(file, 'utf8');
    // The toolkit wrote the codes as XLIFF elements, and approved="yes" without a target state.
    expect(xml).toContain('<target>Nous avons mis à jour le <g id="1" ctype="bold">micrologiciel</g>');
    expect(xml).toContain('<target>Gijsbert Zijlstra<x id="1" ctype="lb" equiv-text="↵"/>Directeur technique</target>');
    expect(xml.match(/approved="yes"/g)).toHaveLength(5);
    expect(xml).not.toMatch(/<target state=/);

    const report = await importXliff(config, [file]);
    expect(formatReport(report.diagnostics.files, root)).toBe('');
    expect(report.files[0]!.counts.updated).toBe(5);
    expect(await readJson(path.join(root, 'locales/fr/cat.json'))).toEqual(french);
    // approved="yes" alone is not a review (README "Review state").
    expect(Object.values(await statesOf(config, 'fr'))).toEqual(Array(5).fill('translated'));
  });

  describe('xliff2po → edit the .po → po2xliff', () => {
    async function toPo() {
      const { root, config } = await catProject(['nl']);
      const before = await readJson(path.join(root, 'locales/nl/cat.json'));
      const states = await statesOf(config, 'nl');
      await exportXliff(config, { locale: 'nl', version: '1.2', outDir: 'out' });
      const xlf = path.join(root, 'out', 'cat.nl.xlf');
      const po = path.join(root, 'cat.nl.po');
      run(XLIFF2PO, [xlf, po]);
      const text = await readFile(po, 'utf8');
      const edited = text.replace('msgstr "Beveiligingsupdate"', 'msgstr "Veiligheidsupdate"');
      expect(edited).not.toBe(text);
      await writeFile(po, edited);
      return { root, config, before, states, xlf, po, text };
    }

    it('PO carries keys (as references), sources and targets as plain text: codes and notes are lost, review shows only as fuzzy', async () => {
      const { text } = await toPo();
      expect(text).toContain(
        '#: intro.gijsbert-zijlstra-technical-director\nmsgid "Gijsbert ZijlstraTechnical Director"\nmsgstr "Gijsbert ZijlstraTechnisch directeur"',
      );
      expect(text).toContain('msgid "Read the file and the full statement."\nmsgstr "Lees het bestand en de volledige verklaring."');
      expect(text).not.toMatch(/<\d|<g |<x |kind: /);
      // Units without approved="yes" (translated and draft alike) become fuzzy.
      expect(text).toContain('#: intro.we-updated-the-firmware\n#, fuzzy\n');
      expect(text).toContain('#: intro.read-the-file-and\n#, fuzzy\n');
      expect(text).toContain('#: meta.title\nmsgid');
    });

    it('po2xliff -t keeps the template <file> as it was and puts the PO in a foreign <file>, which import refuses with a warning', async () => {
      const { root, config, before, states, xlf, po } = await toPo();
      const back = path.join(root, 'back.nl.xlf');
      run(PO2XLIFF, ['-t', xlf, path.basename(po), path.basename(back)], root);
      const xml = await readFile(back, 'utf8');
      // The template part: codes, notes and states as exported; the edit is only in the appended <file original="cat.nl.po">.
      expect(xml).toContain('<target state="signed-off">Beveiligingsupdate</target>');
      expect(xml).toContain('<x id="1" ctype="lb" equiv-text="↵"/>Technisch directeur</target>');
      expect(xml).toContain('<note from="statements" annotates="general">kind: title</note>');
      expect(xml).toContain('<file original="cat.nl.po"');
      expect(xml).toContain('<target>Veiligheidsupdate</target>');

      const report = await importXliff(config, [back]);
      expect(report.diagnostics.count()).toEqual({ errors: 0, warnings: 1 });
      expect(formatReport(report.diagnostics.files, root)).toMatch(
        /warning {2}Unknown statement `cat\.nl\.po` in `<file>`.*not imported.*xliff-unknown-statement/,
      );
      // po2xliff writes the PO's units in the XLIFF 1.1 namespace: counted all the same, so the report says what is lost.
      const units = (xml.split('<file original="cat.nl.po"')[1]!.match(/<ns0:trans-unit\b/g) ?? []).length;
      expect(units).toBeGreaterThan(0);
      expect(report.files[0]!.refusedFiles).toEqual([expect.objectContaining({ name: 'cat.nl.po', units })]);
      expect(formatReport(report.diagnostics.files, root)).toContain(`its ${units} units are not imported`);
      expect(report.files[0]!.counts).toMatchObject({ updated: 0, unchanged: 5 });
      expect(report.files[0]!.writes).toEqual([]);
      // Targets with their codes and the review states survive; the PO edit does not.
      expect(await readJson(path.join(root, 'locales/nl/cat.json'))).toEqual(before);
      expect(await statesOf(config, 'nl')).toEqual(states);
    });

    it('po2xliff without a template writes XLIFF 1.1, which import refuses with an error and nothing written', async () => {
      const { root, config, before, po } = await toPo();
      const back = path.join(root, 'plain.nl.xlf');
      run(PO2XLIFF, [po, back]);
      const report = await importXliff(config, [back]);
      expect(formatReport(report.diagnostics.files, root)).toContain('error  Unexpected XLIFF version `1.1`, expected `2.0` or `1.2`  xliff-syntax');
      expect(report.files[0]!.writes).toEqual([]);
      expect(await readJson(path.join(root, 'locales/nl/cat.json'))).toEqual(before);
    });
  });

  it('i18next JSON v4 storage: a string changed in locales/nl by the toolkit is extracted and built without loss', async () => {
    const { root, config } = await catProject(['nl', 'fr']);
    const bundles = async () => ({
      en: await readJson(path.join(root, 'locales/en/cat.json')),
      nl: await readJson(path.join(root, 'locales/nl/cat.json')),
      fr: await readJson(path.join(root, 'locales/fr/cat.json')),
    });
    const before = await bundles();
    const states = await statesOf(config, 'nl');
    const changed = 'Neem <1>ons supportteam</1> vandaag nog even een bericht.';
    python(editI18next, path.join(root, 'locales/nl/cat.json'), 'intro.contact-our-support-team', changed);

    const extracted = await extractProject(config);
    expect(formatReport(extracted.diagnostics.files, root)).toBe('');
    expect(await bundles()).toEqual({ ...before, nl: { ...before.nl, 'intro.contact-our-support-team': changed } });
    expect(Object.keys((await bundles()).nl)).toEqual(Object.keys(before.nl));
    // The JSON carries no review state: the state file keeps it (the changed key was, and stays, translated).
    expect(await statesOf(config, 'nl')).toEqual(states);

    const built = await buildProject(config, { slugs: ['cat'] });
    expect(built.diagnostics.count().errors).toBe(0);
    const nl = await readFile(path.join(root, 'dist', 'nl', 'cat', 'cat-nl.md'), 'utf8');
    expect(nl).toContain('Neem [ons supportteam](https://example.com/support) vandaag nog even een bericht.');
    expect(nl).toContain('title: "Beveiligingsupdate"');
  });
});
