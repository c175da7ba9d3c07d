/**
 * A strict line cursor over a stats file. Every read names the field it expects, so a truncated
 * or malformed file fails with `file:line` and that field instead of a silent default.
 */
import { SparsegaugeError } from '../../../engine/errors.ts';

export class LineCursor {
  private readonly lines: string[];
  private index = 0;
  /** Where in the file the parser is (`storage.DRAM.tensors.Inputs`), prefixed to error fields. */
  where = '';

  constructor(
    text: string,
    readonly file: string,
  ) {
    const lines = text.split('\n');
    // A final newline yields one empty trailing element, not a line of the file.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.lines = lines;
  }

  /** 1-based number of the next line to be read. */
  get lineNumber(): number {
    return this.index + 1;
  }

  atEnd(): boolean {
    return this.index >= this.lines.length;
  }

  peek(): string | undefined {
    return this.lines[this.index];
  }

  fail(field: string, message: string, line = this.lineNumber): never {
    const qualified = this.where ? `${this.where}: ${field}` : field;
    throw new SparsegaugeError('stats-parse', message, { file: this.file, position: { line, column: 1 }, field: qualified });
  }

  /** The next line, raw; `field` names what the caller expects there (for the error on EOF). */
  next(field: string): string {
    if (this.atEnd()) this.fail(field, `unexpected end of file, expected ${field}`);
    return this.lines[this.index++];
  }

  /** A line equal to `text` once leading/trailing blanks are removed. */
  expectLine(text: string, field = text): void {
    const line = this.next(field);
    if (line.trim() !== text) this.fail(field, `expected '${text}', found '${line.trim()}'`, this.index);
  }

  expectBlank(field = 'blank line'): void {
    const line = this.next(field);
    if (line.trim() !== '') this.fail(field, `expected a blank line, found '${line.trim()}'`, this.index);
  }

  /** Consumes blank lines; returns how many. */
  skipBlanks(): number {
    let n = 0;
    while (!this.atEnd() && this.lines[this.index].trim() === '') {
      this.index++;
      n++;
    }
    return n;
  }

  /**
   * `<label> <sep> <value>`: the label must match exactly (after indentation), then optional
   * spaces, the separator, and the value (trimmed). Returns the value text and its line number.
   */
  expectField(label: string, sep = ':'): { text: string; line: number } {
    const line = this.next(label);
    const lineNo = this.index;
    const body = line.trimStart();
    if (!body.startsWith(label)) this.fail(label, `expected field '${label}', found '${line.trim()}'`, lineNo);
    const rest = body.slice(label.length);
    const m = /^\s*(:|=)(.*)$/.exec(rest);
    if (!m || m[1] !== sep) this.fail(label, `expected '${sep}' after '${label}', found '${line.trim()}'`, lineNo);
    return { text: m[2].trim(), line: lineNo };
  }

  /** True when the next line, trimmed, starts with `prefix`. */
  nextStartsWith(prefix: string): boolean {
    const line = this.peek();
    return line !== undefined && line.trimStart().startsWith(prefix);
  }
}
