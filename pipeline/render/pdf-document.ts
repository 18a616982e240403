/**
 * A pdfkit document that keeps its bytes in memory. pdfkit pushes each line
 * of the file (thousands per document, most a few bytes long) through its
 * readable stream, each turned into a Buffer and emitted on its own: a
 * twentieth of a document's time. Every byte of the file, the header its
 * constructor writes included, goes through `_write` (internal to pdfkit
 * 0.20.2, pinned; test/render-pdf.test.ts holds both ways to the same
 * bytes), which here appends the line to a list, converted as pdfkit does
 * (a string's characters taken as bytes, a newline after it).
 */
import PDFDocument from 'pdfkit';

const Document = PDFDocument as unknown as new (options: PDFKit.PDFDocumentOptions) => PDFKit.PDFDocument;

export class BufferedPdf extends Document {
  // Created by the first `_write`, which pdfkit's constructor makes before this class's fields would exist.
  declare private lines?: Uint8Array[];
  declare private _offset: number;

  _write(data: Uint8Array | string): void {
    const bytes = data instanceof Uint8Array ? data : Buffer.from(`${data}\n`, 'latin1');
    (this.lines ??= []).push(bytes);
    this._offset += bytes.length;
  }

  /** The whole file, once `end()` has finished it. */
  bytes(): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.on('end', () => resolve(Buffer.concat(this.lines ?? [])));
      this.on('error', reject);
      this.resume();
    });
  }
}
