/**
 * Errors are values with a kind, a file, a position and a field. The library throws
 * `SparsegaugeError` for every user-facing problem (bad input, unsupported feature); the CLI prints
 * `formatError(e)` and exits non-zero. Anything else escaping is a bug in sparsegauge.
 */

export type ErrorKind =
  | 'yaml-syntax' // malformed YAML
  | 'template' // nunjucks error, undefined variable
  | 'schema' // wrong type, unknown key, missing required field
  | 'value' // a value out of range (density outside (0,1], size <= 0 ...)
  | 'reference' // a name that refers to nothing (mapping target, data space, ERT component)
  | 'mapping' // factors that do not multiply out, bad permutation, bypass everywhere
  | 'capacity' // a tile that does not fit a buffer
  | 'energy-table' // ERT/ART missing a component or action the model needs
  | 'unsupported' // valid input the model does not implement
  | 'stats-parse' // a stats.txt / XML file that does not parse
  | 'io'; // file not found, unreadable

export interface SourcePosition {
  line: number; // 1-based
  column: number; // 1-based
}

export interface ErrorDetails {
  file?: string;
  position?: SourcePosition;
  /** Dotted path of the offending field, e.g. `mapping[3].factors.C`. */
  field?: string;
}

export class SparsegaugeError extends Error {
  readonly kind: ErrorKind;
  readonly file?: string;
  readonly position?: SourcePosition;
  readonly field?: string;

  constructor(kind: ErrorKind, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'SparsegaugeError';
    this.kind = kind;
    this.file = details.file;
    this.position = details.position;
    this.field = details.field;
  }
}

export function isSparsegaugeError(e: unknown): e is SparsegaugeError {
  return e instanceof SparsegaugeError;
}

/**
 * `e` naming `file` (and `position`) when it names no file yet: for errors raised where only the
 * caller knows which file the data came from.
 */
export function withFile(e: unknown, file: string | undefined, position?: SourcePosition): unknown {
  if (!(e instanceof SparsegaugeError) || e.file || !file) return e;
  return new SparsegaugeError(e.kind, e.message, { file, position: e.position ?? position, field: e.field });
}

/** Control characters (newlines included) shown escaped: whatever a message quotes, it stays one line. */
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? ' ' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));

/** `file:line:col: kind error in field: message`, the one-line form the CLI prints. */
export function formatError(e: SparsegaugeError): string {
  const where = e.file
    ? `${oneLine(e.file)}${e.position ? `:${e.position.line}:${e.position.column}` : ''}: `
    : '';
  const field = e.field ? ` in ${oneLine(e.field)}` : '';
  return `${where}${e.kind} error${field}: ${oneLine(e.message)}`;
}
