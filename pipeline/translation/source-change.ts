/**
 * What changed in a source text since a translation was made from it, short
 * enough for one finding: the differing words with one word of context on
 * each side, the rest left out as `…`.
 */

export interface SourceChange {
  before: string;
  after: string;
}

export function sourceChange(previous: string, current: string): SourceChange {
  const old = previous.split(' ');
  const now = current.split(' ');
  let start = 0;
  while (start < old.length && start < now.length && old[start] === now[start]) start++;
  let end = 0;
  while (end < old.length - start && end < now.length - start && old[old.length - 1 - end] === now[now.length - 1 - end]) end++;
  // One word of context each side, so that an inserted or deleted word is never shown as an empty change.
  const from = Math.max(0, start - 1);
  const cut = (words: string[]) => {
    const to = Math.min(words.length, words.length - end + 1);
    return `${from > 0 ? '…' : ''}${words.slice(from, to).join(' ')}${to < words.length ? '…' : ''}`;
  };
  return { before: cut(old), after: cut(now) };
}
