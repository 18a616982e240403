/**
 * Front matter in its common shape, read without a YAML parser: one
 * `key: value` a line, each value a one-line scalar or, under a key with no
 * value, one block mapping of such lines (`contact:`). Anything else (a
 * comment, a blank line, a list, a tab, an escape other than `\"` and `\\`, a
 * plain value YAML could read as a number, a boolean or null) is left to the
 * `yaml` package, whose reading of the front matter was a twentieth of
 * extracting a statement. Where this reader answers, the values, ranges and
 * scalar types are the ones `yaml` gives: test/parse.test.ts compares the two.
 */

/** A scalar as `yaml` describes it: `range` is [start, end) of its source, quotes included. */
export interface SimpleScalar {
  value: string;
  range: [start: number, end: number];
  type: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
}

export interface SimpleYaml {
  /** The values, as `document.toJS()` gives them. */
  data: Record<string, string | Record<string, string>>;
  /** Each scalar by its path (`title`, `contact.role`). */
  scalars: Map<string, SimpleScalar>;
  /** Where each top-level key starts. */
  keys: Map<string, number>;
}

/** A key that is text in YAML's core schema (not a boolean or null: see `KEYWORD`), shorter than yaml's limit of 1,024. */
const KEY = /^([A-Za-z][A-Za-z0-9_]{0,63}):(?: +|$)/;
/** A plain value that is text in YAML's core schema whatever follows: no indicator first, no number, boolean or null, no control character. */
const PLAIN = /^[^-?:,[\]{}#&*!|>'"%@`\s0-9+.~\p{Cc}][^#:\p{Cc}]*$/u;
const KEYWORD = /^(?:null|true|false)$/i;
const DOUBLE = /^"((?:[^"\\\p{Cc}]|\\["\\])*)" *$/u;
const SINGLE = /^'((?:[^'\p{Cc}]|'')*)' *$/u;

/** The scalar written at `offset` as `text` (the rest of its line), or undefined when it is not one this reader takes. */
function scalar(text: string, offset: number): SimpleScalar | undefined {
  let found = DOUBLE.exec(text);
  if (found) return { value: found[1]!.replace(/\\(["\\])/g, '$1'), range: [offset, offset + found[1]!.length + 2], type: 'QUOTE_DOUBLE' };
  found = SINGLE.exec(text);
  if (found) return { value: found[1]!.replaceAll("''", "'"), range: [offset, offset + found[1]!.length + 2], type: 'QUOTE_SINGLE' };
  // Only spaces end a plain value: to YAML a no-break space, say, is part of it.
  const value = text.replace(/ +$/, '');
  if (!PLAIN.test(value) || KEYWORD.test(value)) return undefined;
  return { value, range: [offset, offset + value.length], type: 'PLAIN' };
}

/** `text` read as above, or undefined when it is in any other shape. */
export function readSimpleYaml(text: string): SimpleYaml | undefined {
  if (text === '' || text.includes('\r') || text.includes('\t')) return undefined;
  const data: SimpleYaml['data'] = {};
  const scalars = new Map<string, SimpleScalar>();
  const keys = new Map<string, number>();
  /** The block mapping being read, and its lines' indent. */
  let block: { name: string; map: Record<string, string>; indent: number } | undefined;
  let offset = 0;
  for (const line of text.split('\n')) {
    const start = offset;
    offset += line.length + 1;
    // Only spaces indent: any other space starts a key YAML would read as written.
    const indent = /^ */.exec(line)![0].length;
    const entry = KEY.exec(line.slice(indent));
    if (!entry || KEYWORD.test(entry[1]!)) return undefined;
    const [written, name] = entry as unknown as [string, string];
    const valueAt = start + indent + written.length;
    const rest = line.slice(indent + written.length);
    if (indent > 0) {
      // A line of the block mapping opened by the key above.
      if (!block || (block.indent !== 0 && indent !== block.indent) || name in block.map) return undefined;
      block.indent = indent;
      const value = scalar(rest, valueAt);
      if (!value) return undefined;
      block.map[name] = value.value;
      scalars.set(`${block.name}.${name}`, value);
      continue;
    }
    // A block mapping needs at least one line.
    if ((block && block.indent === 0) || name in data) return undefined;
    block = undefined;
    keys.set(name, start);
    if (rest === '') {
      block = { name, map: {}, indent: 0 };
      data[name] = block.map;
      continue;
    }
    const value = scalar(rest, valueAt);
    if (!value) return undefined;
    data[name] = value.value;
    scalars.set(name, value);
  }
  if (block && block.indent === 0) return undefined;
  return { data, scalars, keys };
}
