/**
 * GFM without trying what the document rules out. micromark's GFM extension
 * tries an email autolink at the start of every word (and a URL at every
 * `h` or `w` word), and a table at the start of every paragraph line, whose
 * words it tokenizes as head cells before the next line says there is no
 * table: together about a third of parsing a statement. This plugin, used
 * after remark-gfm, lets those constructs read ahead in the document first
 * and skips them where they cannot match: an email needs its run of letters
 * to end in `@`, a URL to start with `http://`, `https://` or `www.`, a
 * table's delimiter row (the next line) a `|` or a `:`. Where they can
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

/** The offset after the line ending that ends the line holding `at`, or -1 on the last line. */
function nextLineStart(at: number): number {
  for (let index = at; index < document.length; index++) {
    const code = document.charCodeAt(index);
    if (code === 10) return index + 1;
    if (code === 13) return document.charCodeAt(index + 1) === 10 ? index + 2 : index + 1;
  }
  return -1;
}

/** Whether the line starting at `start` holds a `|` or a `:`, as a table's delimiter row must. */
function mayDelimit(start: number): boolean {
  for (let index = start; index < document.length; index++) {
    const code = document.charCodeAt(index);
    if (code === 124 || code === 58) return true;
    if (code === 10 || code === 13) return false;
  }
  return false;
}

/** Whether a table row is open before this point: the table construct then reads a body row, which needs nothing ahead. */
function inTable(context: TokenizeContext): boolean {
  let index = context.events.length - 1;
  while (index > -1 && (context.events[index]![1].type === 'lineEnding' || context.events[index]![1].type === 'linePrefix')) index--;
  const tail: string | undefined = index > -1 ? context.events[index]![1].type : undefined;
  return tail === 'tableHead' || tail === 'tableRow';
}

/** Whether each construct can start at offset `at` of the document, in `context`. */
const CAN_START: Record<string, (at: number, context: TokenizeContext) => boolean> = {
  emailAutolink(at) {
    let end = at;
    while (isAtext(document.charCodeAt(end))) end++;
    return end > at && document.charCodeAt(end) === 64;
  },
  wwwAutolink: (at) => startsWith(at, 'www.'),
  protocolAutolink: (at) => startsWith(at, 'http://') || startsWith(at, 'https://'),
  table(at, context) {
    if (inTable(context)) return true;
    const next = nextLineStart(at);
    return next !== -1 && mayDelimit(next);
  },
};

/** Whether the document has `prefix` at offset `at`, in any case (as the constructs compare). */
const startsWith = (at: number, prefix: string) => document.slice(at, at + prefix.length).toLowerCase() === prefix;

/** `construct`, skipped where the document rules it out. */
function lookingAhead(construct: Construct, canStart: (at: number, context: TokenizeContext) => boolean): Construct {
  const { previous, tokenize } = construct;
  return {
    ...construct,
    // Text asks `previous` whether a code can start a construct: saying no keeps the word in its text run, untried.
    ...(previous && {
      previous(this: TokenizeContext, code: Code) {
        return previous.call(this, code) && canStart(this.now().offset, this);
      },
    }),
    tokenize(this: TokenizeContext, effects, ok, nok) {
      return (code) => (canStart(this.now().offset, this) ? tokenize.call(this, effects, ok, nok)(code) : nok(code));
    },
  };
}

/** The constructs of `extension`'s text and flow that read ahead, each reading ahead. */
function withLookahead(extension: Extension): void {
  for (const constructs of [extension.text, extension.flow]) {
    for (const [code, entry] of Object.entries(constructs ?? {})) {
      const list = [entry ?? []].flat();
      if (!list.some((construct) => construct.name && construct.name in CAN_START)) continue;
      constructs![code as unknown as number] = list.map((construct) =>
        construct.name && construct.name in CAN_START ? lookingAhead(construct, CAN_START[construct.name]!) : construct,
      );
    }
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

export default function remarkGfmLookahead(this: Processor) {
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
