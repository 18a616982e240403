/**
 * GFM autolink literals without trying every word. micromark's GFM extension
 * tries an email autolink at the start of every word (and a URL at every
 * `h` or `w` word), then gives up on all but a few: about a third of
 * parsing a statement. This plugin, used after remark-gfm, lets each of its
 * autolink constructs read ahead in the document first, and skips those
 * that cannot match there: an email needs its run of letters to end in
 * `@`, a URL to start with `http://`, `https://` or `www.`. Where they can
 * match, the constructs run as they are, so the tree is the one remark-gfm
 * gives (test/parse.test.ts compares them).
 */
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

export default function remarkAutolinkLookahead(this: Processor) {
  const data = this.data();
  for (const extension of (data.micromarkExtensions ?? []).flat()) withLookahead(extension);
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
