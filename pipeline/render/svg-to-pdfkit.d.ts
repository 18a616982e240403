/** The part of svg-to-pdfkit's documented API the PDF letterhead uses (it ships no types). */
declare module 'svg-to-pdfkit' {
  interface Options {
    width?: number;
    height?: number;
    preserveAspectRatio?: string;
    assumePt?: boolean;
    imageCallback?: (link: string) => string;
    documentCallback?: (file: string) => unknown[];
    warningCallback?: (message: string) => void;
  }
  export default function SVGtoPDF(doc: PDFKit.PDFDocument, svg: string, x: number, y: number, options?: Options): void;
}
