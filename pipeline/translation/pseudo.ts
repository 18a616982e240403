/**
 * Pseudo-localization: `[Ŵéļçöɱé ţö ţĥé ƥŕéšš ŕööɱ ~~~~~~~]`. Letters are
 * accented, the text grows by about 35% and is bracketed, so untranslated
 * strings, truncation and layout problems show in HTML and PDF before real
 * translations exist. Tags (`<1>…</1>`, `<2/>`), escapes and `{{variables}}`
 * are kept exactly as they are.
 */
import { commonPath, readTextIfExists, stringifyJson, writeIfChanged } from '../project/index.ts';
import { escapeText, type MergedCatalog, plainText } from '../extract/index.ts';
import type { ResolvedConfig } from '../config.ts';
import type { Locale, Segment } from '../types.ts';

const ACCENTS: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((letter, index) => [
    letter,
    [...'ȧƀƈḓḗƒɠħīĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇḒḖƑƓĦĪĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ'][index]!,
  ]),
);

/** Parts of a tagged string that must come through untouched. */
const PROTECTED = /(<\/?\d+\/?>|&lt;|&amp;|\{\{[^}]*\}\}|\$t\([^)]*\))/;

/** The pseudo-localized form of a tagged text. */
export function pseudoLocalize(tagged: string): string {
  let letters = 0;
  const body = tagged
    .split(PROTECTED)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part.replace(/[A-Za-z]/g, (letter) => {
        letters++;
        return ACCENTS[letter]!;
      });
    })
    .join('');
  // About 35% longer than the visible text, brackets included: translations into
  // German or French often run that much longer than English.
  const visible = plainText(tagged).length;
  const padding = '~'.repeat(Math.max(1, Math.round(visible * 0.35) - 3));
  return letters === 0 ? tagged : `[${body} ${padding}]`;
}

/** Fill the pseudo-locale of a merged catalog from the current source; it keeps no records. */
export function fillPseudoLocale(merged: MergedCatalog, segments: Segment[], locale: Locale): void {
  const bundle = merged.targets.get(locale);
  if (!bundle) return;
  for (const segment of segments) bundle[segment.key] = pseudoLocalize(segment.source);
  delete merged.state.targets[locale];
  for (const entry of Object.values(merged.state.obsolete)) delete entry.targets[locale];
  // An obsolete entry that only held the pseudo text holds nothing a translator wrote.
  for (const [key, entry] of Object.entries(merged.state.obsolete)) if (Object.keys(entry.targets).length === 0) delete merged.state.obsolete[key];
}

/**
 * The interface strings (`locales/<source>/common.json`) pseudo-localized
 * into the pseudo-locale, so the site chrome shows what is not translated
 * too. Written only when changed; returns whether it was.
 */
export async function writePseudoCommon(config: Pick<ResolvedConfig, 'localesDir' | 'sourceLocale' | 'translation'>): Promise<boolean> {
  const pseudo = config.translation.pseudoLocale;
  const text = pseudo && (await readTextIfExists(commonPath(config, config.sourceLocale)));
  if (!pseudo || !text) return false;
  let common: unknown;
  try {
    common = JSON.parse(text);
  } catch {
    return false; // the build reports a broken interface file with its place
  }
  if (typeof common !== 'object' || common === null) return false;
  const localized = Object.fromEntries(
    Object.entries(common).map(([key, value]) => [key, typeof value === 'string' ? pseudoLocalize(escapeText(value)) : value]),
  );
  return writeIfChanged(commonPath(config, pseudo), stringifyJson(localized));
}
