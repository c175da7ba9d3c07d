/**
 * One input file: read, rendered with nunjucks when it holds template syntax, parsed as YAML with
 * positions kept. Every failure is a SparsegaugeError naming the file (and line/column when the
 * YAML parser or nunjucks knows it).
 */
import { readFileSync } from 'node:fs';
import nunjucks from 'nunjucks';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { SparsegaugeError, type SourcePosition } from '../errors.ts';
import { undefinedVariables } from './template-variables.ts';

export interface Source {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** True when the text went through nunjucks (positions then refer to the rendered text). */
  templated: boolean;
}

export type TemplateVars = Readonly<Record<string, string>>;

const TEMPLATE_SYNTAX = /\{\{|\{%|\{#/;

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SparsegaugeError('io', code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? 'unknown error'})`, { file });
  }
}

/** nunjucks reports `[Line 3, Column 5]` (1-based line, 0-based column) inside its message. */
function templateError(file: string, e: unknown): SparsegaugeError {
  const raw = e instanceof Error ? e.message : String(e);
  const where = /\[Line (\d+), Column (\d+)\]/.exec(raw);
  const message = raw
    .replace(/^\(unknown path\)\s*/, '')
    .replace(/\[Line \d+, Column \d+\]\s*/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^Error: /, '');
  const position: SourcePosition | undefined = where ? { line: Number(where[1]), column: Number(where[2]) + 1 } : undefined;
  const variable = /undefined value: (\S+)|attempted to output null or undefined value/.exec(message);
  return new SparsegaugeError('template', message || 'template error', {
    file,
    position,
    field: variable?.[1],
  });
}

/** A file's text as the engine reads it: rendered with nunjucks when it holds template syntax, else unchanged. */
export function renderSourceText(file: string, text: string, vars: TemplateVars = {}): string {
  return TEMPLATE_SYNTAX.test(text) ? render(file, text, vars) : text;
}

function render(file: string, text: string, vars: TemplateVars): string {
  const missing = undefinedVariables(text, Object.keys(vars))?.[0];
  if (missing) {
    const given = Object.keys(vars);
    throw new SparsegaugeError('template', `undefined template variable '${missing.name}' (${given.length ? `given: ${given.join(', ')}` : 'no --var given'})`, {
      file,
      position: { line: missing.line, column: missing.column },
      field: missing.name,
    });
  }
  // A fresh environment per file: no shared state between loads.
  const env = new nunjucks.Environment(null, { autoescape: false, throwOnUndefined: true });
  try {
    return env.renderString(text, { ...vars });
  } catch (e) {
    throw templateError(file, e);
  }
}

export function parseSource(file: string, text: string, vars: TemplateVars = {}): Source {
  const templated = TEMPLATE_SYNTAX.test(text);
  const rendered = renderSourceText(file, text, vars);
  const lineCounter = new LineCounter();
  const doc = parseDocument(rendered, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const pos = lineCounter.linePos(error.pos[0]);
    // `key: value` followed by a line indented deeper reads as a multi-line key holding a mapping;
    // the parser points at the value, the mistake is the next line's indentation.
    const continued = error.code === 'BLOCK_AS_IMPLICIT_KEY' && doc.errors.some((e) => e.code === 'MULTILINE_IMPLICIT_KEY' && e.pos[0] === error.pos[0]);
    if (continued) {
      const next = rendered.split('\n')[pos.line] ?? '';
      throw new SparsegaugeError('yaml-syntax', `line ${pos.line + 1} is indented deeper than the key above it (${error.message.split('\n')[0]})`, {
        file,
        position: { line: pos.line + 1, column: next.length - next.trimStart().length + 1 },
      });
    }
    throw new SparsegaugeError('yaml-syntax', error.message.split('\n')[0], {
      file,
      position: { line: pos.line, column: pos.col },
    });
  }
  return { file, doc, lineCounter, templated };
}

export function readSource(file: string, vars: TemplateVars = {}): Source {
  return parseSource(file, readText(file), vars);
}
