import { describe, expect, it } from 'vitest';
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import remarkRehype from 'remark-rehype';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import { h } from 'hastscript';
import type { Root } from 'hast';
import { schema } from '../pipeline/render/html.ts';
import { serializeHtml } from '../pipeline/render/serialize-html.ts';

/** What every page went through before: rehype-stringify with the options template.ts gave it. */
const stringify = (tree: Root) => unified().use(rehypeStringify, { allowDangerousHtml: false }).stringify(tree);

/** A statement body as the page renders it: Markdown to hast, sanitized. */
const body = (markdown: string) => {
  const processor = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize, schema);
  return processor.runSync(processor.parse(markdown)) as Root;
};

const HOSTILE = [
  '# Heading with `<script>` & "quotes"',
  '',
  'Text with <b>raw</b> HTML, &amp; entities &lt; &#0; and `` `ticks` ``, a NUL \u0000 and émoji 😀.',
  '',
  'A [link](https://example.com/?a=1&b="2"\'3\'`4` "title with \\"quotes\\" & <angles>") and ![alt "x" & y](img.png "t\'s").',
  '',
  '1. [ ] open task',
  '2. [x] done task',
  '',
  '3. starts at three',
  '',
  '| left | centre | right |',
  '| :--- | :----: | ----: |',
  '| a&b | <i> | `c|d` |',
  '',
  'A note.[^n] Another.[^m] Again.[^n]',
  '',
  '[^n]: The note, with a [reference][r].',
  '[^m]: The other.',
  '',
  '[r]: https://example.org/a_b "R"',
  '',
  '```js title="x"',
  'if (a < b && c) {}',
  '```',
  '',
  '<div onclick="x()">raw block</div>',
  '',
  '~~struck~~ **strong _both_** <https://auto.example/x?y=1&z=2> mail@example.com',
].join('\n');

describe('serializeHtml', () => {
  it('writes a sanitized statement body byte for byte as rehype-stringify does', () => {
    const tree = body(HOSTILE);
    expect(serializeHtml(tree)).toBe(stringify(tree));
  });

  it('writes the page shell’s constructs as rehype-stringify does: doctype, void elements, lists, booleans, numbers, raw text', () => {
    const tree: Root = {
      type: 'root',
      children: [
        { type: 'doctype' },
        h('html', { lang: 'nl-BE' }, [
          h('head', {}, [
            h('meta', { charSet: 'utf-8' }),
            h('link', { rel: ['alternate', 'icon'], hrefLang: 'x-default', href: 'a?b=1&c="2"' }),
            h('style', {}, ['a > b { content: "</style" & }']),
            h('script', { type: 'application/ld+json' }, ['{"a":"<\\u003c/script>&"}']),
          ]),
          h('body', {}, [
            h('nav', { ariaLabel: 'Talen & "taal"', ariaDescribedBy: ['x', 'y'] }, ['a < b & c > d']),
            h('img', { className: ['logo'], src: 'logo.svg', alt: '', height: 48, width: Number.NaN }),
            h('input', { type: 'checkbox', checked: true, disabled: false, readOnly: 'readonly' }),
            h('a', { download: true, dataFootnoteRef: true, dataFooBar: 'x', href: '#' }, ['one']),
            h('a', { download: 'file.pdf', hidden: '' }, ['two']),
            h('area', { coords: [1, 2, 3], accept: ['a', ''] }),
            h('br', {}, ['child of a void element']),
            { type: 'comment', value: 'a comment --> with an end' },
            h('svg', { viewBox: '0 0 1 1' }, [h('path', { d: 'M0 0h1', strokeWidth: 2 })]),
            h('template', {}, [h('p', {}, ['inside'])]),
            { type: 'text', value: '\u0000 and \u00a0' },
          ]),
        ]),
      ],
    };
    expect(serializeHtml(tree)).toBe(stringify(tree));
  });
});
