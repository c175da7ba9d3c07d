/**
 * One input file: read, rendered by the template sandbox when it holds template syntax, parsed as YAML with
 * positions kept. Every failure is a SparsegaugeError naming the file (and line/column when the
 * YAML parser or nunjucks knows it).
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import { SparsegaugeError } from '../errors.ts';
import { readSpecText } from './read-file.ts';
import { checkYamlTree, type AliasTargets } from './yaml-tree.ts';
import { renderTemplate } from './template-sandbox.ts';
import { keyPolicy, type KeyPolicy } from './unknown-keys.ts';

export interface Source {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** True when the text went through nunjucks (positions then refer to the rendered text). */
  templated: boolean;
  /** How keys the model does not read are treated; shared by the files of one load. */
  keys: KeyPolicy;
  /** Each alias node's anchored node (field reads follow aliases through it). */
  aliases: AliasTargets;
}

export type TemplateVars = Readonly<Record<string, string>>;

const TEMPLATE_SYNTAX = /\{\{|\{%|\{#/;

/** A file's text as the engine reads it: rendered when it holds template syntax, else unchanged. */
export function renderSourceText(file: string, text: string, vars: TemplateVars = {}): string {
  return TEMPLATE_SYNTAX.test(text) ? renderTemplate(file, text, vars) : text;
}

export function parseSource(file: string, text: string, vars: TemplateVars = {}, keys: KeyPolicy = keyPolicy()): Source {
  const templated = TEMPLATE_SYNTAX.test(text);
  const rendered = renderSourceText(file, text, vars);
  const lineCounter = new LineCounter();
  // duplicate keys are found by checkYamlTree in linear time (the library's check is quadratic)
  const doc = parseDocument(rendered, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: false });
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
  const aliases = checkYamlTree(doc, lineCounter, file);
  return { file, doc, lineCounter, templated, keys, aliases };
}

export function readSource(file: string, vars: TemplateVars = {}, keys: KeyPolicy = keyPolicy()): Source {
  return parseSource(file, readSpecText(file), vars, keys);
}
