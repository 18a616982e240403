/**
 * What pdfkit 0.20 offers and @types/pdfkit 0.17 does not describe yet:
 * parsed fontkit fonts in `registerFont` (pdfkit 0.20.0 changelog), and
 * `openImage`, to read an image's size before placing it.
 */
declare namespace PDFKit.Mixins {
  interface PDFFont {
    registerFont(name: string, src: import('fontkit').Font): this;
  }
  interface OpenedImage {
    width: number;
    height: number;
  }
  interface PDFImage {
    openImage(src: ImageSrc): OpenedImage;
    image(src: OpenedImage, x?: number, y?: number, options?: ImageOption): this;
  }
}
