/**
 * JSON as translators write it. `JSON.parse` does the work; when it fails, or
 * when a message must point at a key, a small scanner finds the line, the
 * column and the key, so a missing comma reads as a sentence, not a crash.
 */
import type { Point } from 'unist';
import type { VFile } from 'vfile';
import { error } from './diagnostics.ts';

export interface JsonLocation {
  /** Line and column of each top-level key. */
  keys: Map<string, Point>;
  /** Each repeat of a top-level key: `JSON.parse` keeps the last value and drops the others without a word. */
  duplicates: Array<{ key: string; place: Point }>;
  /** The first syntax error, with the top-level key it sits in or after. */
  problem?: { place: Point; reason: string; key?: string };
  /** With `nested`: line and column of every key below the top level, by its path (`site.accentColor`). */
  nested: Map<string, Point>;
}

/** Parse `text`, reporting a syntax error on `file` with line, column and key. */
export function parseJsonFile(file: VFile, text: string): unknown | undefined {
  try {
    return JSON.parse(text);
  } catch {
    const { problem } = locateJson(text);
    const place = problem?.place;
    const where = problem?.key === undefined ? '' : ` (after key \`${problem.key}\`)`;
    error(file, `Invalid JSON: ${problem?.reason ?? 'cannot be parsed'}${where}`, 'json-syntax', place);
    return undefined;
  }
}

/**
 * How many keys valid JSON text of one flat object of strings writes,
 * repeats included: its strings alternate key and value. More than the
 * parsed object has means a key is repeated (`locateJson` says where).
 */
export function keysWritten(text: string): number {
  let strings = 0;
  for (let open = text.indexOf('"'); open !== -1; open = text.indexOf('"', open + 1)) {
    let close = text.indexOf('"', open + 1);
    while (close !== -1 && escaped(text, close)) close = text.indexOf('"', close + 1);
    if (close === -1) break;
    strings++;
    open = close;
  }
  return strings / 2;
}

/** Whether the character at `at` follows an odd run of backslashes. */
function escaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}

/**
 * Scan `text` as JSON, recording top-level key positions, repeated keys and
 * the first error; with `nested`, also where each deeper key is (config files,
 * not bundles, whose keys hold dots).
 */
export function locateJson(text: string, nested = false): JsonLocation {
  const keys = new Map<string, Point>();
  const deeper = new Map<string, Point>();
  const trail: string[] = [];
  const duplicates: JsonLocation['duplicates'] = [];
  let index = 0;
  let line = 1;
  let lineStart = 0;
  let currentKey: string | undefined;
  const point = (at = index): Point => ({ line, column: at - lineStart + 1, offset: at });

  class Stop extends Error {}
  const fail = (reason: string): never => {
    throw Object.assign(new Stop(reason), { place: point() });
  };
  const describe = () => (index >= text.length ? 'end of file' : `\`${text[index]}\``);

  const space = () => {
    while (index < text.length) {
      const char = text[index];
      if (char === '\n') {
        line++;
        lineStart = index + 1;
      } else if (char !== ' ' && char !== '\t' && char !== '\r') break;
      index++;
    }
  };
  const string = (): string => {
    const start = index;
    index++; // opening quote
    let plain = true;
    while (index < text.length && text[index] !== '"') {
      const code = text.charCodeAt(index);
      if (code === 0x0a) fail('Unexpected line break inside a string, expected `"` to close it');
      if (code === 0x5c || code < 0x20) plain = false;
      index += code === 0x5c ? 2 : 1;
    }
    if (index >= text.length) fail('Unexpected end of file inside a string, expected `"`');
    index++;
    // Every bundle read is scanned for repeated keys: a string without escapes
    // or control characters is its own slice, several times cheaper than JSON.parse.
    if (plain) return text.slice(start + 1, index - 1);
    try {
      return JSON.parse(text.slice(start, index)) as string;
    } catch {
      index = start;
      return fail('Invalid escape sequence in string');
    }
  };
  const value = (depth: number) => {
    space();
    const char = text[index];
    if (char === '"') return void string();
    if (char === '{') return object(depth + 1);
    if (char === '[') return array(depth + 1);
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(index, index + 40));
    if (literal) return void (index += literal[0].length);
    fail(`Unexpected ${describe()}, expected a value (a string in quotes)`);
  };
  const object = (depth: number) => {
    index++;
    space();
    if (text[index] === '}') return void index++;
    for (;;) {
      space();
      if (text[index] !== '"') fail(`Unexpected ${describe()}, expected a key in double quotes`);
      const at = point();
      const key = string();
      if (depth === 1) {
        if (keys.has(key)) duplicates.push({ key, place: at });
        keys.set(key, at);
        currentKey = key;
      } else if (nested) deeper.set([...trail, key].join('.'), at);
      space();
      if (text[index] !== ':') fail(`Unexpected ${describe()}, expected \`:\` after key \`${key}\``);
      index++;
      if (nested) trail.push(key);
      value(depth);
      if (nested) trail.pop();
      space();
      if (text[index] === ',') {
        index++;
        space();
        if (text[index] === '}') fail('Unexpected `}` after `,`: remove the trailing comma');
        continue;
      }
      if (text[index] === '}') return void index++;
      fail(`Unexpected ${describe()}, expected \`,\` or \`}\` after the value`);
    }
  };
  const array = (depth: number) => {
    index++;
    space();
    if (text[index] === ']') return void index++;
    for (;;) {
      value(depth);
      space();
      if (text[index] === ',') {
        index++;
        continue;
      }
      if (text[index] === ']') return void index++;
      fail(`Unexpected ${describe()}, expected \`,\` or \`]\``);
    }
  };

  try {
    space();
    if (index >= text.length) fail('The file is empty, expected `{`');
    value(0);
    space();
    if (index < text.length) fail(`Unexpected ${describe()} after the end of the JSON value`);
    return { keys, duplicates, nested: deeper };
  } catch (caught) {
    if (!(caught instanceof Stop)) throw caught;
    const place = (caught as Stop & { place: Point }).place;
    return { keys, duplicates, nested: deeper, problem: { place, reason: caught.message, key: currentKey } };
  }
}
