/**
 * GFM autolink literals without trying every word. micromark's GFM extension
 * tries an email autolink at the start of every word (and a URL at every
 * `h` or `w` word), then gives up on all but a few: about a third of
 * parsing a statement. This plugin, used after remark-gfm, lets each of its
 * autolink constructs read ahead in the document first, and skips those
 * that cannot match there: an email needs its run of letters to end in
 * `@`, a URL to start with `http://`, `https://` or `www.`. Where they can
 * match, the constructs run as they are, so the tree is the one remark-gfm
 * gives (test/parse.test.ts compares them). Likewise the transform that
 * links the literals micromark left in text runs its four searches only on
 * the text nodes that hold an `@`, `http://`, `https://` or `www.`, instead
 * of walking the whole tree four times.
 */
import type { Nodes, Paragraph, Parent, Root } from 'mdast';
import type { Extension as FromMarkdownExtension, Transform } from 'mdast-util-from-markdown';
import type { Code, Construct, Extension, TokenizeContext } from 'micromark-util-types';
import type { Processor } from 'unified';

/** The document being parsed: parsing is synchronous, so one at a time. */
let document = '';

const isAtext = (code: number) =>
  code === 43 || code === 45 || code === 46 || code === 95 || (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);

/** Whether each autolink construct can start at offset `at` of the document. */
const CAN_START: Record<string, (at: number) => boolean> = {
  emailAutolink(at) {
    let end = at;
    while (isAtext(document.charCodeAt(end))) end++;
    return end > at && document.charCodeAt(end) === 64;
  },
  wwwAutolink: (at) => startsWith(at, 'www.'),
  protocolAutolink: (at) => startsWith(at, 'http://') || startsWith(at, 'https://'),
};

/** Whether the document has `prefix` at offset `at`, in any case (as the constructs compare). */
const startsWith = (at: number, prefix: string) => document.slice(at, at + prefix.length).toLowerCase() === prefix;

/** `construct`, skipped where the document rules it out. */
function lookingAhead(construct: Construct, canStart: (at: number) => boolean): Construct {
  const { previous, tokenize } = construct;
  return {
    ...construct,
    // Text asks `previous` whether a code can start a construct: saying no keeps the word in its text run, untried.
    previous(this: TokenizeContext, code: Code) {
      return (!previous || previous.call(this, code)) && canStart(this.now().offset);
    },
    tokenize(this: TokenizeContext, effects, ok, nok) {
      return (code) => (canStart(this.now().offset) ? tokenize.call(this, effects, ok, nok)(code) : nok(code));
    },
  };
}

/** The autolink constructs of `extension`'s text, each reading ahead. */
function withLookahead(extension: Extension): void {
  const text = extension.text ?? {};
  for (const [code, entry] of Object.entries(text)) {
    const list = [entry ?? []].flat();
    if (!list.some((construct) => construct.name && construct.name in CAN_START)) continue;
    text[Number(code)] = list.map((construct) =>
      construct.name && construct.name in CAN_START ? lookingAhead(construct, CAN_START[construct.name]!) : construct,
    );
  }
}

/** Whether a text can hold a literal the GFM transform links: each of its patterns needs one of these. */
const mayLink = (text: string) => text.includes('@') || /https?:\/\/|www\./i.test(text);

/**
 * `transform`, run on each text node that may hold a literal, alone in a
 * paragraph of its own: it handles each text node on its own anyway, and
 * skips those inside links, as this walk does.
 */
function onLikelyText(transform: Transform): Transform {
  return (tree) => {
    const found: Array<[parent: Parent, index: number]> = [];
    const walk = (node: Nodes) => {
      if (!('children' in node) || node.type === 'link' || node.type === 'linkReference') return;
      node.children.forEach((child, index) => (child.type === 'text' ? mayLink(child.value) && found.push([node, index]) : walk(child)));
    };
    walk(tree);
    // From the last, so that the indices still to come hold as texts are split.
    for (const [parent, index] of found.reverse()) {
      const holder: Paragraph = { type: 'paragraph', children: [parent.children[index] as Paragraph['children'][number]] };
      transform(holder as unknown as Root);
      parent.children.splice(index, 1, ...holder.children);
    }
  };
}

/** The GFM transform of `extension`, narrowed to the text that may need it. */
function withNarrowTransform(extension: FromMarkdownExtension): void {
  extension.transforms = extension.transforms?.map((transform) => (transform.name === 'transformGfmAutolinkLiterals' ? onLikelyText(transform) : transform));
}

export default function remarkAutolinkLookahead(this: Processor) {
  const data = this.data();
  for (const extension of (data.micromarkExtensions ?? []).flat()) withLookahead(extension);
  for (const extension of (data.fromMarkdownExtensions ?? []).flat(Infinity) as FromMarkdownExtension[]) withNarrowTransform(extension);
  const parse = this.parser!;
  this.parser = (text, file) => {
    // micromark skips a byte order mark: offsets count from after it.
    document = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    try {
      return parse(text, file);
    } finally {
      document = '';
    }
  };
}
