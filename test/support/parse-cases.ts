/**
 * The Markdown the parse tests hold the parser to: autolink and table cases
 * that the GFM lookahead must read right, every statement fixture, twenty bench
 * statements and every CommonMark spec example.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fixtures } from '../helpers.ts';
import { statementText } from '../../scripts/bench/corpus.ts';
import { parseMarkdown } from '../../pipeline/parse/parse.ts';

export const readAhead = [
  'Mail press@example.org, PRESS@Example.ORG. or a.b-c_d+e@x.y.z; not a@b, a@b., a@-b.c or /a@b.c.',
  'press@example.org\nat a line start, and\n> quoted me@x.org\n- listed you@y.be\n\n| cell | x@y.nl |\n| --- | --- |\n| z@w.fr | . |',
  'Sites: www.example.org, WWW.EXAMPLE.ORG/path?q=1, Www.x.y) and http://a.b/c, HTTPS://A.B/C#d, https://a.b. and not wwwx.y, htp://a.b, http:/a.b, https:a.b.',
  'In links: [press@example.org](mailto:press@example.org), [www.a.b](x), [see http://a.b](y), <http://a.b>, ![alt me@x.org](i.png).',
  'Escaped and encoded: press\\@example.org, press&#64;example.org, www\\.a.b, http\\://a.b, `code me@x.org www.a.b`.',
  'After words: contact:me@x.org (me@x.org) "me@x.org" *me@x.org* **www.a.b** _http://a.b_ ~~x@y.z~~ word-me@x.org 1me@x.org.',
  '\uFEFFA byte order mark first: me@x.org and www.a.b.',
  'Tabs\tme@x.org\t\twww.a.b\r\nand CRLF\r\nhttp://a.b\r\nend.',
  'Unicode before: éme@x.org, ëwww.a.b, ühttp://a.b; emoji 🙂me@x.org.',
  // Tables: the GFM spec's, and rows that only the next line can make a table.
  '| foo | bar |\n| --- | --- |\n| baz | bim |',
  '| abc | defghi |\n:-: | -----------:\nbar | baz',
  '| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |',
  '| abc | def |\n| --- | --- |\n| bar | baz |\n> bar',
  '| abc | def |\n| --- | --- |\n| bar | baz |\nbar\n\nbar',
  '| abc | def |\n| --- |\n| bar |',
  '| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |',
  'a b\n:---:\n\nc d\n|---|\n\ne f\n---\n\ng | h\n- | -\ni | j',
  '> | a | b |\n> | - | - |\n> | c | d |\n\n- x | y\n  --|--\n  z | w\n\n1. p\n   | q |\n   | :- |',
  'Lazy\n> a | b\n- | -\n\ntext | more\r\n| --- | --- |\r\nlast | row\r\n\nNo table: a | b then a line with no pipe\nor colon\n\ntime 10:30 | x',
  'Ends on a head row | without a delimiter row',
  'Schemes: mailto:me@x.org, xmpp:me@x.org/res.1, MAILTO:me@x.org and xmpp:me@x.org/a/b.c; twice http://a.b me@x.org www.c.d in one text, *then www.e.f* and [a link](u) then g@h.ij.',
];

export const spec = createRequire(import.meta.url)('commonmark-spec') as { tests: Array<{ markdown: string; number: number }> };

/** The text of every statement fixture (`test/fixtures/**.md`). */
export const fixtureTexts = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
  .filter((name) => name.endsWith('.md'))
  .sort()
  .map((name) => readFileSync(path.join(fixtures, name), 'utf8'));

export const parseCases = [
  ...readAhead,
  ...fixtureTexts,
  ...Array.from({ length: 20 }, (_, index) => statementText(index)),
  ...spec.tests.map((example) => example.markdown.replace(/→/g, '\t')),
];

const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** Each case's tree (positions included) as a digest, by the digest of the case's text. */
export const treeDigests = (): Record<string, string> =>
  Object.fromEntries(parseCases.map((markdown) => [digest(markdown), digest(JSON.stringify(parseMarkdown(markdown)))]));

/** Where `stockTrees.ts` writes the digests of an install without patches. */
export const STOCK_TREES = path.join(fixtures, 'parse', 'stock-trees.json');
