/** `propose` ships no types: the nearest word of `dictionary` to `word`, or null when none reaches `threshold` (0…1). */
declare module 'propose' {
  export default function propose(word: string, dictionary: readonly string[], options?: { threshold?: number; ignoreCase?: boolean }): string | null;
}
