/** Shared by the render tests: a copy of the render fixture project, built. */
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../pipeline/config.ts';
import { buildProject, type BuildOptions } from '../pipeline/commands/build.ts';
import { fixtures, makeProject } from './helpers.ts';

/** A temporary copy of `test/fixtures/<name>/`. */
export async function fixtureProject(name = 'render-site'): Promise<string> {
  const root = await makeProject();
  await cp(path.join(fixtures, name), root, { recursive: true });
  return root;
}

/** Build the project in `root` with its own config. */
export async function build(root: string, options: BuildOptions = {}) {
  return buildProject(await loadConfig(root), options);
}

export const read = (root: string, key: string) => readFile(path.join(root, 'dist', key), 'utf8');

/** Every file below `dist/` of `root`, relative, `/`-separated. */
export async function distFiles(root: string): Promise<string[]> {
  const names = await readdir(path.join(root, 'dist'), { recursive: true, withFileTypes: true });
  return names
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(path.join(root, 'dist'), path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/** The values of attribute `name` on every `<tag …>` of `html`. */
export function attributes(html: string, tag: string, name: string): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].flatMap((match) => {
    const found = new RegExp(`\\s${name}="([^"]*)"`).exec(match[0]);
    return found ? [found[1]!.replace(/&#x26;|&amp;/g, '&')] : [];
  });
}

/** A logo made for the tests: a rounded square with a letter, as simple as a real one. */
export const TEST_LOGO = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64"><rect width="64" height="64" rx="12" fill="#5b1f4a"/><path d="M19 13h9v29h18v9H19z" fill="#fff"/></svg>\n`;

/** The boilerplate every language of a branded fixture gets. */
export const ABOUT: Record<string, [string, string]> = {
  en: ['About {{organisation}}', 'Lydis distributes communication equipment in Belgium and the Netherlands.'],
  nl: ['Over {{organisation}}', 'Lydis verdeelt communicatieapparatuur in België en Nederland.'],
  fr: ['À propos de {{organisation}}', 'Lydis distribue des équipements de communication en Belgique et aux Pays-Bas.'],
};

/**
 * Give the fixture project in `root` an organisation: name, logo, accent
 * colour, press contact, a profile link, Belgian formatting locales and the
 * boilerplate in every language; `site` overrides any of it.
 */
export async function brandProject(root: string, site: Record<string, unknown> = {}): Promise<void> {
  await writeFile(path.join(root, 'statements', 'images', 'logo.svg'), TEST_LOGO);
  for (const [locale, [heading, text]] of Object.entries(ABOUT)) {
    const file = path.join(root, 'locales', locale, 'common.json');
    const strings = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    await writeFile(file, JSON.stringify({ ...strings, 'about.heading': heading, 'about.text': text }, null, 2));
  }
  const config = {
    site: {
      baseUrl: 'https://press.example.com/',
      name: 'Lydis',
      logo: 'statements/images/logo.svg',
      accentColor: '#7a1f5c',
      contact: { name: 'Press office', email: 'press@lydis.example', phone: '+32 2 555 01 00' },
      social: { LinkedIn: 'https://www.linkedin.com/company/lydis' },
      formatLocales: { nl: 'nl-BE', fr: 'fr-BE' },
      ...site,
    },
  };
  await writeFile(path.join(root, 'statements.config.json'), JSON.stringify(config, null, 2));
}
