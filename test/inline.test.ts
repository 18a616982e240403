import { describe, expect, it } from 'vitest';
import type { Paragraph } from 'mdast';
import { parseMarkdown } from '../pipeline/parse/parse.ts';
import { decodeInline, encodeInline, plainText } from '../pipeline/extract/inline.ts';
import { unified } from 'unified';
import remarkStringify from 'remark-stringify';
import remarkGfm from 'remark-gfm';
import type { Root } from 'mdast';

const stringifier = unified().use(remarkStringify, { emphasis: '_', strong: '*' }).use(remarkGfm);
const toMarkdown = (tree: Root) => stringifier.stringify(tree);

/** The phrasing content of the first paragraph of `markdown`. */
function paragraph(markdown: string): Paragraph {
  const tree = parseMarkdown(markdown);
  const node = tree.children.find((child) => child.type === 'paragraph');
  if (!node || node.type !== 'paragraph') throw new Error('no paragraph');
  return node;
}

/** Encode, decode the encoded text, and serialize: must give the same Markdown. */
function roundTrip(markdown: string) {
  const node = paragraph(markdown);
  const before = toMarkdown({ type: 'root', children: [structuredClone(node)] });
  const { text, tags } = encodeInline(node.children);
  const decoded = decodeInline(text, tags);
  if (!decoded.ok) throw new Error(decoded.problems.join('\n'));
  node.children = decoded.nodes;
  return { text, before, after: toMarkdown({ type: 'root', children: [node] }) };
}

describe('inline tags', () => {
  it.each([
    ['emphasis', 'meet _certain_ requirements', 'meet <1>certain</1> requirements'],
    ['strong', 'meet **certain** requirements', 'meet <1>certain</1> requirements'],
    ['strikethrough', 'meet ~~certain~~ requirements', 'meet <1>certain</1> requirements'],
    ['link', 'meet certain [requirements](https://x.example "Title").', 'meet certain <1>requirements</1>.'],
    ['reference link', 'see [the notes][notes].\n\n[notes]: https://n.example', 'see <1>the notes</1>.'],
    ['inline code', 'port `5060` is open', 'port <1/> is open'],
    ['image', 'a ![phone](p.png) here', 'a <1/> here'],
    ['image reference', 'a ![phone][p] here\n\n[p]: p.png', 'a <1/> here'],
    ['hard break', 'Gijsbert\\\nDirector', 'Gijsbert<1/>Director'],
    ['inline html', 'a <abbr>VoIP</abbr> call', 'a <1/>VoIP<2/> call'],
    ['autolink', 'see <https://lydis.com> now', 'see <1/> now'],
    ['bare URL', 'see https://lydis.com/x now', 'see <1/> now'],
    ['email', 'write to press@lydis.com now', 'write to <1/> now'],
    ['footnote reference', 'a claim[^1]\n\n[^1]: proof', 'a claim<1/>'],
    ['nested markup', '**bold [link](https://l.example) _and_ more**', '<1>bold <2>link</2> <3>and</3> more</1>'],
  ])('encodes %s as numbered tags and decodes it back unchanged', (_name, markdown, expected) => {
    const { text, before, after } = roundTrip(markdown);
    expect(text).toBe(expected);
    expect(after).toBe(before);
  });

  it('never shows a URL or an email address to translators', () => {
    const { text } = encodeInline(paragraph('Mail press@lydis.com or see [here](https://secret.example/path).').children);
    expect(text).not.toMatch(/lydis\.com|secret\.example/);
  });

  it('joins soft line breaks into one line of text', () => {
    expect(encodeInline(paragraph('one\ntwo').children).text).toBe('one two');
  });

  it('escapes text that looks like a tag, so it survives as text', () => {
    const node = paragraph('literal \\<1> and &amp;lt; here');
    const { text, tags } = encodeInline(node.children);
    expect(text).toBe('literal &lt;1> and &amp;lt; here');
    const decoded = decodeInline(text, tags);
    expect(decoded.ok && decoded.nodes).toEqual([{ type: 'text', value: 'literal <1> and &lt; here' }]);
  });

  it('lets translators reorder tags', () => {
    const { tags } = encodeInline(paragraph('[first](https://1.example) then **second**').children);
    const decoded = decodeInline('<2>tweede</2> dan <1>eerste</1>', tags);
    expect(decoded.ok).toBe(true);
    const node = paragraph('x');
    node.children = decoded.ok ? decoded.nodes : [];
    expect(toMarkdown({ type: 'root', children: [node] })).toBe('**tweede** dan [eerste](https://1.example)\n');
  });

  it('keeps what translators type as text, Markdown and HTML included', () => {
    const { tags } = encodeInline(paragraph('plain').children);
    const decoded = decodeInline('*niet vet* <script>alert(1)</script> [geen](link)', tags);
    const node = paragraph('x');
    node.children = decoded.ok ? decoded.nodes : [];
    const markdown = toMarkdown({ type: 'root', children: [node] });
    expect(parseMarkdown(markdown).children[0]).toMatchObject({
      type: 'paragraph',
      children: [{ type: 'text', value: '*niet vet* <script>alert(1)</script> [geen](link)' }],
    });
  });

  describe('reports a translation whose tags do not match the source', () => {
    const { tags } = encodeInline(paragraph('see [here](https://h.example) and `code`').children);
    it.each([
      ['a missing paired tag', 'zie hier en <2/>', 'Missing tag `<1>…</1>` (link)'],
      ['a missing atomic tag', 'zie <1>hier</1>', 'Missing tag `<2/>` (code)'],
      ['an extra tag', 'zie <1>hier</1> <2/> <3/>', 'Unexpected tag `<3/>`'],
      ['a renumbered tag', 'zie <3>hier</3> <2/>', 'Unexpected tag `<3>`'],
      ['mismatched closing tag', 'zie <1>hier</2> <2/>', 'Unexpected closing tag `</2>`, expected `</1>`'],
      ['an unclosed tag', 'zie <1>hier <2/>', 'Tag `<1>` is not closed'],
      ['a closing tag without opening', 'zie hier</1> <2/>', 'Unexpected closing tag `</1>` with no `<1>` before it'],
      ['an atomic tag used as paired', 'zie <1>hier</1> <2>x</2>', 'expected the self-closing `<2/>`'],
      ['a paired tag used as atomic', 'zie <1/> hier <2/>', 'expected `<1>…</1>`'],
      ['a duplicated tag', 'zie <1>hier</1> <2/> <2/>', 'appears more than once'],
      ['an empty paired tag', 'zie <1></1> hier <2/>', 'is empty'],
    ])('%s', (_name, translation, problem) => {
      const result = decodeInline(translation, tags);
      expect(result.ok).toBe(false);
      expect(result.ok ? [] : result.problems.join('\n')).toContain(problem);
    });
  });

  it('gives plain words without tags for keys and counts', () => {
    expect(plainText('meet <1>certain</1> requirements<2/>')).toBe('meet certain requirements');
  });
});
