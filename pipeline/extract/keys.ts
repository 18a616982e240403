/**
 * Stable, readable keys. A key, once given, follows its segment: unchanged
 * text keeps its key wherever it moves; edited text keeps the key of the most
 * similar vanished segment (so its translation turns stale, not lost); text
 * that returns gets its obsolete key back; only new text gets a new key,
 * made from its section and first words (`intro.on-16-september-2023`).
 */
import { plainText } from './inline.ts';
import { words } from './segment.ts';
import type { LocaleBundle, Segment, SegmentDraft, SegmentKind, StatementState } from '../types.ts';

/** Below this similarity an edited segment counts as new text. */
export const EDIT_SIMILARITY = 0.5;

/** Dice coefficient over the words of two texts, 0…1. */
export function similarity(a: string, b: string): number {
  const left = plainText(a).toLowerCase().split(' ').filter(Boolean);
  const right = plainText(b).toLowerCase().split(' ').filter(Boolean);
  if (left.length + right.length === 0) return 1;
  const counts = new Map<string, number>();
  for (const word of left) counts.set(word, (counts.get(word) ?? 0) + 1);
  let common = 0;
  for (const word of right) {
    const count = counts.get(word) ?? 0;
    if (count > 0) {
      common++;
      counts.set(word, count - 1);
    }
  }
  return (2 * common) / (left.length + right.length);
}

export interface KeyHistory {
  /** The source bundle written by the previous extract. */
  source?: LocaleBundle;
  state?: StatementState;
}

function baseKey(draft: SegmentDraft): string {
  if (draft.section === 'meta') return `meta.${draft.kind}`;
  if (draft.kind === 'heading') return draft.section;
  const prefix = draft.kind === 'image-alt' ? 'alt-' : draft.kind === 'link-title' ? 'title-' : draft.kind === 'table-cell' ? 'cell-' : '';
  return `${draft.section}.${prefix}${words(draft.source)}`;
}

/** Give every draft its key, in document order. Pure: extract and build agree. */
export function assignKeys(drafts: SegmentDraft[], history: KeyHistory = {}): Segment[] {
  const previous = Object.entries(history.source ?? {});
  const kinds: Record<string, SegmentKind | undefined> = history.state?.segments ?? {};
  const obsolete = history.state?.obsolete ?? {};
  const keys: Array<string | undefined> = drafts.map(() => undefined);
  const used = new Set<string>();
  const take = (index: number, key: string) => {
    keys[index] = key;
    used.add(key);
  };

  // 1. Unchanged text keeps its key, wherever it moved.
  const byText = new Map<string, string[]>();
  for (const [key, text] of previous) byText.set(text, [...(byText.get(text) ?? []), key]);
  drafts.forEach((draft, index) => {
    const key = byText.get(draft.source)?.find((candidate) => !used.has(candidate));
    if (key) take(index, key);
  });

  // 2. Text that was removed and came back gets its old key (and translations) back.
  drafts.forEach((draft, index) => {
    if (keys[index]) return;
    const key = Object.keys(obsolete).find((candidate) => obsolete[candidate]!.source === draft.source && !used.has(candidate));
    if (key) take(index, key);
  });

  // 3. Edited text keeps the key of the most similar vanished segment of its kind.
  const vanished = previous.filter(([key]) => !used.has(key));
  const pairs: Array<{ index: number; key: string; score: number }> = [];
  drafts.forEach((draft, index) => {
    if (keys[index]) return;
    for (const [key, text] of vanished) {
      const kind = kinds[key];
      if (kind && kind !== draft.kind) continue;
      const score = similarity(draft.source, text);
      if (score >= EDIT_SIMILARITY) pairs.push({ index, key, score });
    }
  });
  pairs.sort((a, b) => b.score - a.score || a.index - b.index);
  for (const pair of pairs) if (!keys[pair.index] && !used.has(pair.key)) take(pair.index, pair.key);

  // 4. New text gets a new readable key, never one that is or was in use.
  const reserved = new Set([...used, ...previous.map(([key]) => key), ...Object.keys(obsolete)]);
  drafts.forEach((draft, index) => {
    if (keys[index]) return;
    const base = baseKey(draft);
    let key = base;
    for (let n = 2; reserved.has(key); n++) key = `${base}-${n}`;
    reserved.add(key);
    take(index, key);
  });

  return drafts.map((draft, index) => Object.assign(draft, { key: keys[index]! }));
}
