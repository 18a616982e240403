/**
 * Findings are vfile messages with a position, a rule id and a source,
 * reported on the file the person must edit and printed like a linter.
 */
import path from 'node:path';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { statistics } from 'vfile-statistics';
import type { Point, Position } from 'unist';

export const SOURCE = 'statements';

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  reason: string;
  ruleId: string;
  severity: Severity;
  place?: Point | Position;
  /** Extra context such as the source segment behind a translation problem. */
  note?: string;
}

/** Attach a finding to `file`; `fatal` follows vfile: true error, false warning. */
export function report(file: VFile, finding: Finding): VFileMessage {
  const message = file.message(finding.reason, {
    place: finding.place,
    ruleId: finding.ruleId,
    source: SOURCE,
  });
  if (finding.note !== undefined) message.note = finding.note;
  message.fatal = finding.severity === 'error' ? true : finding.severity === 'warning' ? false : undefined;
  return message;
}

export const error = (file: VFile, reason: string, ruleId: string, place?: Point | Position) => report(file, { reason, ruleId, severity: 'error', place });

export const warning = (file: VFile, reason: string, ruleId: string, place?: Point | Position) => report(file, { reason, ruleId, severity: 'warning', place });

/** Raised when a stage cannot go on; its files carry the positioned reasons. */
export class PipelineError extends Error {
  readonly files: VFile[];
  constructor(files: VFile | VFile[]) {
    const list = Array.isArray(files) ? files : [files];
    super(list.flatMap((file) => file.messages.map((message) => `${file.path}: ${message.reason}`)).join('\n'));
    this.files = list;
  }
}

/** A message as plain data, for crossing a worker thread boundary. */
export interface TransferredMessage {
  path: string;
  reason: string;
  ruleId: string;
  fatal: boolean | null | undefined;
  place?: Point | Position;
  note?: string;
}

/**
 * Files keyed by path, so that the stages can report on the statement and on
 * each locale file while the CLI prints them together.
 */
export class Diagnostics {
  readonly #files = new Map<string, VFile>();
  constructor(readonly cwd: string) {}

  /** The vfile for `filePath`, created on first use. */
  file(filePath: string): VFile {
    const absolute = path.resolve(this.cwd, filePath);
    let file = this.#files.get(absolute);
    if (!file) {
      file = new VFile({ path: absolute, cwd: this.cwd });
      this.#files.set(absolute, file);
    }
    return file;
  }

  /** Take over an existing vfile (a statement's), keeping its messages. */
  adopt(file: VFile): VFile {
    const absolute = path.resolve(this.cwd, file.path);
    const known = this.#files.get(absolute);
    if (known && known !== file) known.messages.push(...file.messages);
    else this.#files.set(absolute, file);
    return known ?? file;
  }

  /** Every message as plain data, to send from a worker thread. */
  export(): TransferredMessage[] {
    return this.files.flatMap((file) =>
      file.messages.map((message) => ({
        path: file.path,
        reason: message.reason,
        ruleId: message.ruleId ?? '',
        fatal: message.fatal,
        place: message.place ?? undefined,
        note: message.note,
      })),
    );
  }

  /** Take in messages exported by a worker thread. */
  import(messages: TransferredMessage[]): void {
    for (const { path: filePath, reason, ruleId, fatal, place, note } of messages) {
      const message = this.file(filePath).message(reason, { place, ruleId, source: SOURCE });
      message.fatal = fatal;
      if (note !== undefined) message.note = note;
    }
  }

  get files(): VFile[] {
    return [...this.#files.values()];
  }

  count(): { errors: number; warnings: number } {
    const { fatal, warn } = statistics(this.files);
    return { errors: fatal, warnings: warn };
  }
}

/** The severity a message carries: `fatal` true is an error, false a warning, otherwise info. */
export function severityOf(message: VFileMessage): Severity {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info';
}

/**
 * `statements/x.md:12:45  error  Placeholder link target "#"  link-placeholder`,
 * grouped per file; `errorsOnly` (`--quiet`) leaves the other messages out
 * (they are still counted when there are errors).
 */
export function formatReport(files: VFile[], cwd: string, errorsOnly = false): string {
  const lines: string[] = [];
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  for (const file of sorted) {
    const shown = errorsOnly ? file.messages.filter((message) => severityOf(message) === 'error') : file.messages;
    if (shown.length === 0) continue;
    const name = path.relative(cwd, file.path) || file.path;
    const messages = [...shown].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    for (const message of messages) {
      const severity = severityOf(message);
      const place = message.line ? `:${message.line}:${message.column ?? 1}` : '';
      lines.push(`${name}${place}  ${severity}  ${message.reason}  ${message.ruleId ?? ''}`.trimEnd());
    }
    lines.push('');
  }
  const { fatal, warn } = statistics(files);
  if (fatal > 0 || (warn > 0 && !errorsOnly)) lines.push(summary(fatal, warn));
  return lines.join('\n');
}

export function summary(errors: number, warnings: number): string {
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${errors ? '✖' : '⚠'} ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** Machine-readable findings for `--json`. */
export function toJson(files: VFile[], cwd: string) {
  return files.flatMap((file) =>
    file.messages.map((message) => ({
      file: path.relative(cwd, file.path),
      line: message.line ?? null,
      column: message.column ?? null,
      severity: severityOf(message),
      message: message.reason,
      rule: message.ruleId ?? null,
    })),
  );
}
