/**
 * A generated project for the benchmark: statements of realistic length and
 * markup (headings, lists, links, emphasis, tables, footnotes, signature),
 * extracted, with complete nl and fr translations that keep every tag.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveConfig, type ResolvedConfig } from '../../pipeline/config.ts';
import { extractProject } from '../../pipeline/commands/extract.ts';

const words =
  'security firmware telephony provider customers encryption network equipment statement journalists office partners analysis update model port configuration platform organisation response information'.split(
    ' ',
  );

/** A deterministic pseudo-random sequence, so every run measures the same corpus. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

function sentence(next: () => number, length: number): string {
  const picked = Array.from({ length }, () => words[Math.floor(next() * words.length)]!);
  return `${picked[0]!.charAt(0).toUpperCase()}${picked[0]!.slice(1)} ${picked.slice(1).join(' ')}`;
}

/** One statement of about 4 KB with the constructs real statements use. */
export function statementText(index: number): string {
  const next = random(index + 1);
  const paragraph = (n: number) =>
    Array.from({ length: 3 }, (_, i) => {
      const s = sentence(next, 10 + Math.floor(next() * 8));
      if (i === 0) return `${s} with **${words[n % words.length]}** and a [reference](https://example.org/${index}/${n}).`;
      if (i === 1) return `${s} on _${words[(n + 3) % words.length]}_ (see \`port 5060\`).`;
      return `${s}.`;
    }).join(' ');
  return [
    '---',
    `title: "Statement ${index} on ${sentence(next, 4)}"`,
    `date: "2023-${String((index % 12) + 1).padStart(2, '0')}-${String((index % 28) + 1).padStart(2, '0')}"`,
    'lang: en',
    `summary: "${sentence(next, 14)}."`,
    'contact:',
    '  name: Press Office',
    '  email: press@example.org',
    '---',
    '',
    `## ${sentence(next, 3)}`,
    '',
    ...Array.from({ length: 3 }, (_, n) => `${paragraph(n)}\n`),
    `## ${sentence(next, 3)}`,
    '',
    ...Array.from({ length: 4 }, (_, n) => `- ${sentence(next, 8)} [details](https://example.org/d/${n}).`),
    '',
    '| Model | Status |',
    '| --- | --- |',
    ...Array.from({ length: 3 }, (_, n) => `| T${40 + n}${index % 10} | ${sentence(next, 2)} |`),
    '',
    ...Array.from({ length: 3 }, (_, n) => `${paragraph(n + 4)}${n === 0 ? '[^1]' : ''}\n`),
    'On behalf of the team,',
    '',
    'Press Office\\',
    'Spokesperson\\',
    'press@example.org',
    '',
    `[^1]: ${sentence(next, 12)}.`,
    '',
  ].join('\n');
}

/** Stands in for a translator: changes every word, keeps tags intact. */
const translate = (locale: string, text: string) =>
  text.replace(/(^|>)([^<]+)/g, (_all, lead: string, run: string) => `${lead}${run.replace(/\b([a-z])/g, (c) => c.toUpperCase())} ${locale}`.trimEnd());

/** Write `count` statements into `dir` (absent or empty), extract them, and fill complete nl and fr bundles. */
export async function generateCorpus(dir: string, count: number): Promise<ResolvedConfig> {
  await mkdir(path.join(dir, 'statements'), { recursive: true });
  for (let index = 0; index < count; index++) {
    await writeFile(path.join(dir, 'statements', `statement-${String(index).padStart(4, '0')}.md`), statementText(index));
  }
  const config = resolveConfig({}, dir);
  await extractProject(config);
  for (let index = 0; index < count; index++) {
    const slug = `statement-${String(index).padStart(4, '0')}`;
    const source = JSON.parse(await readFile(path.join(dir, 'locales', 'en', `${slug}.json`), 'utf8')) as Record<string, string>;
    for (const locale of ['nl', 'fr']) {
      const bundle = Object.fromEntries(Object.entries(source).map(([key, text]) => [key, translate(locale, text)]));
      await writeFile(path.join(dir, 'locales', locale, `${slug}.json`), `${JSON.stringify(bundle, null, 2)}\n`);
    }
  }
  await extractProject(config);
  return config;
}
