import { describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkFrontmatter from 'remark-frontmatter';
import type { Nodes, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { resolveConfig } from '../pipeline/config.ts';
import { Diagnostics, formatReport, PipelineError } from '../pipeline/diagnostics.ts';
import { type StatementEntry } from '../pipeline/project/project.ts';
import { loadStatement } from '../pipeline/parse/cache.ts';
import { parseMarkdown, parseStatement } from '../pipeline/parse/parse.ts';
import { makeProject, repoRoot } from './helpers.ts';
import { isMap, isScalar, parseDocument, type Scalar } from 'yaml';
import { readSimpleYaml } from '../pipeline/parse/simple-yaml.ts';
import { statementText } from '../scripts/bench/corpus.ts';
import { fixtureTexts, parseCases, readAhead, spec, STOCK_TREES, treeDigests } from './support/parse-cases.ts';

const text = '---\ntitle: Title\ndate: "2024-01-01"\nlocales: [nl, de]\n---\n\nSome *text*.\n';

describe('parsing with the tree cache', () => {
  it('reads back the same statement it parsed, and parses again when the text changes', async () => {
    const root = await makeProject({ 'statements/s.md': text });
    const config = resolveConfig({ locales: ['nl', 'de', 'en'] }, root);
    const entry: StatementEntry = { slug: 's', file: path.join(root, 'statements/s.md') };
    const parsed = loadStatement(entry, text, config, new Diagnostics(root))!;
    const cacheFile = path.join(root, '.cache/trees/s.json');
    const record = await readFile(cacheFile, 'utf8');
    const cached = loadStatement(entry, text, config, new Diagnostics(root))!;
    expect(cached.tree).toEqual(parsed.tree);
    // The same shape too: keys in the same order, so code that walks trees sees one kind of node.
    expect(JSON.stringify(cached.tree)).toBe(JSON.stringify(parsed.tree));
    expect(cached.frontMatter).toEqual(parsed.frontMatter);
    expect({ ...cached, file: undefined }).toEqual({ ...parsed, file: undefined });
    expect(cached).toEqual({ ...parseStatement(text, { path: entry.file, cwd: root, config }), file: cached.file });

    const edited = text.replace('Some', 'Other');
    expect(loadStatement(entry, edited, config, new Diagnostics(root))!.tree).toMatchObject({ children: [{}, { children: [{ value: 'Other ' }, {}, {}] }] });
    expect(await readFile(cacheFile, 'utf8')).not.toBe(record);
  });

  it('reads back every statement fixture and CommonMark spec example as parsed, values taken from the source and escaped ones alike', async () => {
    const root = await makeProject();
    const config = resolveConfig({ locales: ['nl', 'fr', 'en'] }, root);
    const entry: StatementEntry = { slug: 's', file: path.join(root, 'statements/s.md') };
    const texts = [...fixtureTexts, ...spec.tests.map(({ markdown }) => `---\ntitle: Spec\ndate: "2024-01-01"\n---\n\n${markdown}`)];
    let compared = 0;
    for (const source of texts) {
      const parsed = loadStatement(entry, source, config, new Diagnostics(root));
      if (!parsed) continue;
      const cached = loadStatement(entry, source, config, new Diagnostics(root))!;
      expect(JSON.stringify(cached.tree), source).toBe(JSON.stringify(parsed.tree));
      compared++;
    }
    expect(compared).toBeGreaterThan(600);
    // `&amp;` parses to `&`: that value is kept; `Plain words.` is its own source, and left out of the record.
    loadStatement(entry, '---\ntitle: T\ndate: "2024-01-01"\n---\n\nAT&T &amp; co\n', config, new Diagnostics(root));
    const record = await readFile(path.join(root, '.cache/trees/s.json'), 'utf8');
    expect(record).toContain('"value":"AT&T & co"');
    const cached = loadStatement(entry, '---\ntitle: T\ndate: "2024-01-01"\n---\n\nAT&T &amp; co\n', config, new Diagnostics(root))!;
    expect(cached.tree.children[1]).toMatchObject({ type: 'paragraph', children: [{ type: 'text', value: 'AT&T & co' }] });
    loadStatement(entry, '---\ntitle: T\ndate: "2024-01-01"\n---\n\nPlain words.\n', config, new Diagnostics(root));
    expect(await readFile(path.join(root, '.cache/trees/s.json'), 'utf8')).not.toContain('Plain words.');
  });

  it('validates again when the settings change, so a cached parse never hides an error', async () => {
    const root = await makeProject({ 'statements/s.md': text });
    const entry: StatementEntry = { slug: 's', file: path.join(root, 'statements/s.md') };
    expect(loadStatement(entry, text, resolveConfig({ locales: ['nl', 'de', 'en'] }, root), new Diagnostics(root))).toBeDefined();
    const diagnostics = new Diagnostics(root);
    expect(loadStatement(entry, text, resolveConfig({}, root), diagnostics)).toBeUndefined();
    expect(formatReport(diagnostics.files, root)).toContain('statements/s.md:4:15  error  Unknown locale `de` in `locales`');
  });

  it('parses again when the cached tree is corrupt', async () => {
    const root = await makeProject({ 'statements/s.md': text });
    const config = resolveConfig({ locales: ['nl', 'de', 'en'] }, root);
    const entry: StatementEntry = { slug: 's', file: path.join(root, 'statements/s.md') };
    const parsed = loadStatement(entry, text, config, new Diagnostics(root))!;
    await writeFile(path.join(root, '.cache/trees/s.json'), '{ "key": ');
    expect(loadStatement(entry, text, config, new Diagnostics(root))!.tree).toEqual(parsed.tree);
  });
});

describe('GFM constructs read ahead', () => {
  const remarkGfmParser = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']);
  const asRemarkGfm = (markdown: string) => remarkGfmParser.runSync(remarkGfmParser.parse(markdown));

  it('gives the very tree remark-gfm gives, positions included, for every statement fixture, bench statement, CommonMark example, autolink and table case', () => {
    expect(parseCases.length).toBeGreaterThan(660);
    for (const markdown of parseCases) expect(parseMarkdown(markdown), markdown).toEqual(asRemarkGfm(markdown));
  });

  it('gives the very tree remark-gfm gives on 3,000 generated snippets of table rows, delimiters, autolinks and containers', () => {
    // Seeded, so a failure names a snippet that fails again.
    let seed = 20261201;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const pieces = [
      'a',
      'b c',
      '|',
      ' | ',
      '|a|',
      '| b |',
      '-',
      '--',
      ':-',
      '-:',
      ':-:',
      '---',
      ' :--- ',
      'x@y.be',
      'me@x.org.',
      'www.a.be',
      'http://a.b/c',
      'HTTPS://A.B',
      'mailto:m@x.org',
      '`|`',
      '\\|',
      '*e*',
      '**s**',
      '[l](u)',
      '<http://a.b>',
      ' ',
      '\t',
      '\\',
      '&#124;',
      ':',
      'é',
      '🙂',
    ];
    const starts = ['', '', '', '> ', '- ', '1. ', '  ', '    ', '> > ', '- > '];
    const endings = ['\n', '\n', '\n', '\r\n', '\r', '\n\n'];
    for (let index = 0; index < 3000; index++) {
      let markdown = '';
      for (let line = 1 + Math.floor(random() * 5); line > 0; line--) {
        markdown += pick(starts);
        for (let piece = Math.floor(random() * 6); piece > 0; piece--) markdown += pick(pieces);
        markdown += pick(endings);
      }
      expect(parseMarkdown(markdown), JSON.stringify(markdown)).toEqual(asRemarkGfm(markdown));
    }
  });

  it('still links every email and URL literal that remark-gfm links', () => {
    const links = (tree: Nodes): string[] => ('children' in tree ? tree.children.flatMap(links) : []).concat(tree.type === 'link' ? [tree.url] : []);
    // GFM's own rules: `a@-b.c` and `/a@b.c` link too, `a@b` and `a@b.` do not.
    expect(links(parseMarkdown(readAhead[0]!))).toEqual([
      'mailto:press@example.org',
      'mailto:PRESS@Example.ORG',
      'mailto:a.b-c_d+e@x.y.z',
      'mailto:a@-b.c',
      'mailto:a@b.c',
    ]);
    expect(links(parseMarkdown(readAhead[2]!))).toEqual([
      'http://www.example.org',
      'http://WWW.EXAMPLE.ORG/path?q=1',
      'http://Www.x.y',
      'http://a.b/c',
      'HTTPS://A.B/C#d',
      'https://a.b',
    ]);
  });
});

describe('the mdast compiler as patched (patches/mdast-util-from-markdown+2.1.0.patch)', () => {
  it('hands every event one context whose sliceSerialize reads that event’s own text, in containers, tables and front matter', () => {
    const markdown = '---\ntitle: T\n---\n\n> - a *b* [c](https://x.y "t")\n>   d\n\n| e | f |\n| - | - |\n| `g` | h |\n\n1. i\n   > j **k**\n';
    const contexts = new Set<object>();
    const slices: Array<[read: string, offsets: string]> = [];
    const tree = unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkFrontmatter, ['yaml'])
      .use(function listen() {
        // A listener after every exit, as an mdast extension may add one: it sees the context each handler gets.
        this.data().fromMarkdownExtensions!.push({
          afterExit(token) {
            contexts.add(this);
            if (token.type === 'data') slices.push([this.sliceSerialize(token), markdown.slice(token.start.offset, token.end.offset)]);
          },
        });
      })
      .parse(markdown);
    // One object for every event: the patch's whole point; a copy per event was a quarter of parsing.
    expect(contexts.size).toBe(1);
    expect(slices.length).toBeGreaterThan(10);
    for (const [read, offsets] of slices) expect(read).toBe(offsets);
    expect(tree).toEqual(parseMarkdown(markdown));
  });
});

describe('micromark and its mdast compiler as patched (patches/micromark+4.0.3.patch, patches/micromark-util-subtokenize+2.1.0.patch, patches/mdast-util-from-markdown+2.1.0.patch)', () => {
  it('gives the very tree an install without the patches gives, positions included, for every parse case', async () => {
    // test/fixtures/parse/stock-trees.json is written by test/support/stock-trees.ts in a checkout installed with
    // `--ignore-scripts`: a new or changed parse case (a fixture, the bench's statements) needs it written again there.
    const stock = JSON.parse(await readFile(STOCK_TREES, 'utf8')) as Record<string, string>;
    const patched = treeDigests();
    expect(Object.keys(patched).length).toBeGreaterThan(700);
    expect(patched).toEqual(stock);
  });

  it('keeps the constructs it combined once apart for each processor: GFM syntax is GFM only where GFM is used', () => {
    const plain = unified().use(remarkParse);
    const markdown = '~~gone~~ www.a.be\n\n| a |\n| - |\n| b |';
    const blocks = (tree: Root) => tree.children.map((node) => [node.type, toString(node)]);
    // In turns, so each processor parses after the other has combined its constructs.
    for (let round = 0; round < 2; round++) {
      expect(blocks(parseMarkdown(markdown))).toEqual([
        ['paragraph', 'gone www.a.be'],
        ['table', 'ab'],
      ]);
      expect(blocks(plain.parse(markdown))).toEqual([
        ['paragraph', '~~gone~~ www.a.be'],
        ['paragraph', '| a |\n| - |\n| b |'],
      ]);
    }
  });
});

describe('front matter in its common shape, read without a YAML parser (pipeline/parse/simple-yaml.ts)', () => {
  /** What `yaml` makes of `text`, in `readSimpleYaml`'s terms, or undefined when `yaml` finds it invalid. */
  function asYaml(text: string) {
    const document = parseDocument(text, { uniqueKeys: true });
    if (document.errors.length > 0 || !isMap(document.contents)) return undefined;
    const scalars: Record<string, unknown> = {};
    const keys: Record<string, number> = {};
    const described = (scalar: Scalar) => ({ value: scalar.value, range: scalar.range!.slice(0, 2), type: scalar.type });
    for (const pair of document.contents.items) {
      const key = String((pair.key as Scalar).value);
      keys[key] = (pair.key as Scalar).range![0];
      const value = pair.value;
      if (isScalar(value)) scalars[key] = described(value);
      if (isMap(value))
        for (const inner of value.items) {
          const scalar = inner.value as Scalar;
          if (isScalar(scalar)) scalars[`${key}.${String((inner.key as Scalar).value)}`] = described(scalar);
        }
    }
    return { data: document.toJS(), scalars, keys };
  }
  const asSimple = (text: string) => {
    const simple = readSimpleYaml(text);
    return simple && { data: simple.data, scalars: Object.fromEntries(simple.scalars), keys: Object.fromEntries(simple.keys) };
  };

  it('reads every bench statement’s and the seed’s front matter, as yaml reads it', () => {
    const seed = readFileSync(path.join(repoRoot, 'statements', 'lydis-statement-follow-the-money.md'), 'utf8');
    const texts = [seed, ...Array.from({ length: 50 }, (_, index) => statementText(index))].map((text) => text.split('\n---\n')[0]!.slice(4));
    for (const text of texts) {
      const simple = asSimple(text);
      expect(simple, text).toBeDefined();
      expect(simple, text).toEqual(asYaml(text));
    }
  });

  it('gives a statement the same front matter, field slots and messages as yaml does', () => {
    const config = resolveConfig({ locales: ['nl', 'fr', 'en'] }, repoRoot);
    const read = (text: string) => {
      try {
        const { frontMatter, fieldSlots, file } = parseStatement(text, { path: path.join(repoRoot, 'statements/s.md'), cwd: repoRoot, config });
        return { frontMatter, fieldSlots, messages: file.messages.map(String) };
      } catch (caught) {
        return { messages: (caught as PipelineError).files.flatMap((file) => file.messages.map(String)) };
      }
    };
    // And front matters whose messages point at a field's value.
    const faulty = [
      'title: Fine\ndate: "2024-02-30"\nlang: en',
      'title: Fine\ndate:   2024-13-01x\nlang: xx',
      "title: '   '\ndate: '2024-01-01'\ncontact:\n  role: Spokes\uFFFEperson\n  name: A",
      'date: "2024-01-01"\ntitle:\n  nested: map',
    ].map((yaml) => `---\n${yaml}\n---\n\nText.\n`);
    const statements = [...fixtureTexts, ...faulty, ...Array.from({ length: 20 }, (_, index) => statementText(index))].filter((text) =>
      text.startsWith('---\n'),
    );
    let simple = 0;
    for (const text of statements) {
      const end = text.indexOf('\n---\n', 4);
      if (readSimpleYaml(text.slice(4, end))) simple++;
      // A comment as the YAML's last line leaves every offset before it as it was, and the text to yaml
      // (the body moves a line down: none of these statements has a message about its body).
      const viaYaml = `${text.slice(0, end)}\n# read by yaml${text.slice(end)}`;
      expect(read(text), text).toEqual(read(viaYaml));
    }
    expect(simple).toBeGreaterThan(20);
  });

  it('answers as yaml does, or leaves the text to yaml, on 5,000 generated front matters of quoted, plain and tricky values', () => {
    let seed = 20261202;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
    const keys = ['title', 'date', 'lang', 'summary', 'author', 'title', 'x-y', 'Title', 'a_b', '1a', 'true', 'True', 'null', 'NULL', 'k'.repeat(1025)];
    const common = ['Plain words', 'en', 'Déclaration de presse', '"2024-05-01"', '"Quoted: title"', "'Single: title'", 'press@example.org', 'Press Office'];
    const values = [
      'Plain words',
      'en',
      'Déclaration de presse',
      "Don't stop",
      'a "quoted" word',
      'ends with spaces   ',
      '  leading',
      'a: b',
      'a:b',
      'time 10:30',
      'a #b',
      'a#b',
      '"double"',
      '"with \\" escape"',
      '"back\\\\slash"',
      '"newline \\n escape"',
      '"unicode \\u00e9"',
      '"tab\tinside"',
      '"unterminated',
      '"x" trailing',
      '"x" # comment',
      '"x"   ',
      "'single'",
      "'it''s'",
      "'unterminated",
      "'x' y",
      '2023-02-02',
      '"2023-02-02"',
      '12',
      '-1',
      '+1',
      '.5',
      '1e3',
      '0x1F',
      '~',
      'null',
      'Null',
      'NULL',
      'true',
      'False',
      'yes',
      'no',
      'on',
      '.inf',
      '-.inf',
      '.nan',
      '- item',
      '? q',
      ', c',
      '[a, b]',
      '{a: 1}',
      '&anchor x',
      '*alias',
      '!tag x',
      '|',
      '>',
      '%x',
      '@x',
      '`x`',
      '=',
      '<x>',
      'a - b',
      'a [b] {c}',
      '🙂 emoji',
      'a\u0007bell',
      'x\u00a0nbsp',
      'trailing tab\t',
      'a, b',
      'C++',
      'a|b',
      'http://x.y/z',
      'mail@x.y',
      '',
      // Spaces that are not YAML's, and controls, at the end or inside: part of the value, or refused.
      'x\u00a0',
      'x\u2028',
      'x\u3000',
      'x\v',
      'x\f',
      'x\u0085y',
      'x\ufeff',
      '"a\u2028b"',
      "'a\u00a0'",
      '"a\u0085"',
    ];
    const lines = () => {
      const out: string[] = [];
      for (let count = 1 + Math.floor(random() * 5); count > 0; count--) {
        const shape = random();
        const value = () => pick(random() < 0.6 ? common : values);
        if (shape < 0.75) out.push(`${pick(keys)}:${pick([' ', ' ', '  ', ''])}${value()}`);
        else if (shape < 0.95) {
          out.push(`${pick(['contact', 'contact', 'title'])}:${pick(['', ' '])}`);
          const indent = pick(['  ', '  ', '    ', ' ', '\u00a0', '\u3000', ' \u00a0']);
          for (let inner = Math.floor(random() * 4); inner > 0; inner--)
            out.push(`${random() < 0.95 ? indent : pick(['', '   ', '\t'])}${pick(['name', 'role', 'email', 'phone', 'role'])}: ${value()}`);
        } else out.push(pick(['# comment', '', '---', '...', '  stray: indent', 'no colon', 'key:value', 'k: v\r']));
      }
      return out.join('\n');
    };
    let answered = 0;
    for (let index = 0; index < 5000; index++) {
      const text = lines();
      const simple = asSimple(text);
      if (!simple) continue;
      answered++;
      expect(simple, JSON.stringify(text)).toEqual(asYaml(text));
    }
    // Hundreds of them are in the common shape: the comparison is not a vacuous one.
    expect(answered).toBeGreaterThan(250);
  });
});
