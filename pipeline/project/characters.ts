/**
 * Text that people and tools hand us may carry characters no page can: they
 * are refused where they are found, never dropped or replaced in silence.
 */

/**
 * Characters no text needs and HTML, XML or PDF must not carry: C0 controls
 * except tab and line breaks, DEL, C1 controls, unpaired surrogates and the
 * non-characters U+FFFE and U+FFFF, which XML forbids.
 */
const FORBIDDEN = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\uFFFE\uFFFF]|\p{Cs}/u;

/** The first forbidden character of `text`: where, its `U+…` name, and whether it is a control character. */
export function forbiddenCharacter(text: string): { index: number; name: string; control: boolean } | undefined {
  const found = FORBIDDEN.exec(text);
  if (!found) return undefined;
  const code = found[0].codePointAt(0)!;
  return { index: found.index, name: `U+${code.toString(16).toUpperCase().padStart(4, '0')}`, control: code <= 0x9f };
}
