/**
 * Reassembly keeps the author's Markdown: with translations equal to their
 * sources a localized statement is its source byte for byte (but `lang`), and
 * with real translations only the translated ranges differ and the result
 * reads back as the localized tree. Run over every statement fixture and
 * every CommonMark spec example that remark itself round-trips.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { unified } from 'unified';
import remarkStringify from 'remark-stringify';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Nodes, Root } from 'mdast';
import { resolveConfig } from '../pipeline/config.ts';
import { Diagnostics, PipelineError } from '../pipeline/diagnostics.ts';
import { parseMarkdown, parseStatement } from '../pipeline/parse/parse.ts';
import { extractSegments } from '../pipeline/extract/extract.ts';
import { localizedMarkdown, reassemble } from '../pipeline/reassemble/reassemble.ts';
import { TranslationResolver } from '../pipeline/reassemble/resolve.ts';
import { pseudoLocalize } from '../pipeline/translation/pseudo.ts';
import type { Segment, Statement } from '../pipeline/types.ts';
import { fixtures } from './helpers.ts';

const config = resolveConfig({ locales: ['en', 'nl'] }, '/project');
// One resolver for every case (a namespace per statement): an i18next instance per case would cost more than the reassembly.
const resolver = new TranslationResolver(config);
const spec = createRequire(import.meta.url)('commonmark-spec') as { tests: Array<{ markdown: string; number: number }> };
const stringifier = unified().use(remarkStringify).use(remarkGfm).use(remarkFrontmatter, ['yaml']);

/**
 * A tree without positions, for comparing what two texts mean. A collapsed or
 * shortcut reference with new text is written as a full one so that it still
 * resolves: the kind of reference is left out too.
 */
function shape(node: Nodes): unknown {
  const { position: _position, referenceType: _referenceType, ...rest } = node as Nodes & { children?: Nodes[]; referenceType?: string };
  return 'children' in rest ? { ...rest, children: rest.children!.map(shape) } : rest;
}

/** Whether remark reads what it writes of `markdown` as the same tree: the examples a Markdown tool can be held to. */
function remarkStable(markdown: string): boolean {
  const tree = parseMarkdown(markdown);
  return JSON.stringify(shape(parseMarkdown(stringifier.stringify(tree)))) === JSON.stringify(shape(tree));
}

const FRONT_MATTER = '---\ntitle: Fidelity\ndate: "2024-01-01"\nlang: en\n---\n';

function statementOf(slug: string, text: string): Statement | undefined {
  try {
    return parseStatement(text, { path: `/project/statements/${slug}.md`, cwd: '/project', config });
  } catch (caught) {
    if (caught instanceof PipelineError) return undefined;
    throw caught;
  }
}

/** The `nl` document of `statement` with `translate` giving each segment's translation. */
function localize(statement: Statement, translate: (segment: Segment) => string) {
  const catalog = { bundles: new Map(), statePath: '', ok: true };
  const segments = extractSegments(statement, catalog);
  resolver.add('nl', statement.slug, Object.fromEntries(segments.map((segment) => [segment.key, translate(segment)])));
  const document = reassemble(statement, segments, 'nl', { resolver, catalog, diagnostics: new Diagnostics('/project'), config });
  return { document, markdown: localizedMarkdown(document), segments };
}

/** The statement's text outside its segments, in order: what no translation may change. */
function untranslated(text: string, statement: Statement, segments: Segment[]): string[] {
  const ranges = segments
    .flatMap((segment) => {
      const node = segment.node;
      if (!node?.position) return [];
      // A paragraph, heading or cell is translated between its first and last child; an alt or a title somewhere in its node.
      const children = 'children' in node && !['image-alt', 'link-title'].includes(segment.kind) ? node.children : [];
      const first = children[0] ?? node;
      const last = children.at(-1) ?? node;
      return [[first.position!.start.offset!, last.position!.end.offset!] as const];
    })
    .sort((a, b) => a[0] - b[0]);
  const yamlEnd = statement.tree.children[0]!.position!.end.offset!;
  const pieces: string[] = [];
  let at = yamlEnd;
  for (const [start, end] of ranges) {
    if (start < at) continue;
    pieces.push(text.slice(at, start));
    at = end;
  }
  pieces.push(text.slice(at));
  return pieces;
}

const cases: Array<{ name: string; text: string }> = [];
for (const dir of readdirSync(fixtures, { recursive: true, encoding: 'utf8' })) {
  if (/(^|\/)statements\/[^/]+\.md$|^identity\/[^/]+\.md$/.test(dir)) cases.push({ name: dir, text: readFileSync(path.join(fixtures, dir), 'utf8') });
}
const stableExamples = spec.tests.filter((example) => remarkStable(example.markdown.replace(/→/g, '\t')));
for (const example of stableExamples) cases.push({ name: `spec example ${example.number}`, text: FRONT_MATTER + example.markdown.replace(/→/g, '\t') });

const statements = cases.flatMap(({ name, text }, index) => {
  const statement = statementOf(`case-${index}`, text);
  return statement ? [{ name, text, statement }] : [];
});

describe('reassembly by splicing', () => {
  it('takes every statement fixture and every remark-stable CommonMark spec example that parses as a statement', () => {
    const examples = statements.filter(({ name }) => name.startsWith('spec example')).map(({ name }) => Number(name.split(' ').at(-1)));
    expect(stableExamples.length).toBe(652);
    expect(examples).toEqual(expect.arrayContaining([25, 40, 196]));
    expect(examples.length).toBeGreaterThan(640);
    expect(statements.length - examples.length).toBeGreaterThan(15);
  });

  it('gives back each source byte for byte, `lang` aside, when every translation equals its source', () => {
    const differing = statements.filter(({ text, statement }) => {
      const { markdown } = localize(statement, (segment) => segment.source);
      return markdown !== text.replace(/^lang: en$/m, 'lang: nl') && markdown !== text.replace(/\n---/, '\nlang: nl\n---');
    });
    expect(differing.map(({ name }) => name)).toEqual([]);
  });

  it('changes only the translated ranges, and reads back as the localized tree, with pseudo-locale translations', () => {
    const problems: string[] = [];
    for (const { name, text, statement } of statements) {
      const { document, markdown, segments } = localize(statement, (segment) => pseudoLocalize(segment.source));
      let at = 0;
      for (const piece of untranslated(text, statement, segments)) {
        const found = markdown.indexOf(piece, at);
        if (found < 0) {
          problems.push(`${name}: lost ${JSON.stringify(piece)}`);
          break;
        }
        at = found + piece.length;
      }
      const reread = parseMarkdown(markdown) as Root;
      const body = (tree: Root) => JSON.stringify(tree.children.slice(1).map(shape));
      if (body(reread) !== body(document.tree)) problems.push(`${name}: reads back as another tree\n${markdown}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('a spliced translation is written for its place', () => {
  /** The `nl` Markdown of a statement whose first body segment is translated as `translation`. */
  const spliced = (body: string, translation: string, frontMatter = FRONT_MATTER) => {
    const statement = statementOf('place', frontMatter + body)!;
    const first = extractSegments(statement, { bundles: new Map(), statePath: '', ok: true }).find((segment) => segment.node)!;
    return localize(statement, (segment) => (segment.key === first.key ? translation : segment.source)).markdown.slice(frontMatter.length);
  };

  it.each([
    ['a `#` at the start of a paragraph', 'Text\n\nmore\n', '# geen kop', '\\# geen kop\n\nmore\n'],
    ['a list number at the start of a paragraph', 'Text\n', '1. geen lijst', '1\\. geen lijst\n'],
    [
      'a `|` in a table cell, the table as written',
      '| a   | b |\n| --- | - |\n| x   | y |\n',
      'een | twee',
      '| een \\| twee   | b |\n| --- | - |\n| x   | y |\n',
    ],
    [
      'the emphasis marker and link of the source',
      'Meet *certain* [needs](https://x.example "T").\n',
      '<1>Zekere</1> <2>eisen</2>.',
      '*Zekere* [eisen](https://x.example "T").\n',
    ],
    ['a hard break with the block quote after it', '> Gijsbert\\\n> Director\n', 'Gijsbert<1/>Directeur', '> Gijsbert\\\n> Directeur\n'],
    [
      'a shortcut reference as a full one',
      'See [notes].\n\n[notes]: https://n.example\n',
      'Zie <1>notities</1>.',
      'See [notities][notes].\n\n[notes]: https://n.example\n'.replace('See', 'Zie'),
    ],
    ['a wrapped paragraph on one line', 'One\ntwo\nthree.\n\nNext\nline.\n', 'Een twee drie.', 'Een twee drie.\n\nNext\nline.\n'],
  ])('escapes or keeps %s', (_name, body, translation, expected) => {
    expect(spliced(body, translation)).toBe(expected);
  });

  it('puts translated front-matter fields in the author’s YAML, comments and quoting kept', () => {
    const frontMatter = '---\n# press office\ntitle: Fidelity   # shown in search\ndate: "2024-01-01"\nsummary: >\n  Two\n  lines.\n---\n';
    const statement = statementOf('yaml', `${frontMatter}Body.\n`)!;
    const { markdown } = localize(statement, (segment) =>
      segment.kind === 'title' ? 'Getrouwheid: "echt"' : segment.kind === 'summary' ? 'Twee regels.' : segment.source,
    );
    expect(markdown).toBe(
      '---\n# press office\ntitle: \'Getrouwheid: "echt"\'   # shown in search\ndate: "2024-01-01"\nsummary: "Twee regels."\nlang: nl\n---\nBody.\n',
    );
  });
});
