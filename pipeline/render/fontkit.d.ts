/** The part of fontkit the PDF renderer uses: parse a font file once. */
declare module 'fontkit' {
  export function create(buffer: Uint8Array): { layout(text: string): unknown };
}
