/**
 * The bad-input corpus (suites/bad-inputs/): the manifest `cases.yaml`, the file set of each case
 * (the valid `_base/` spec with the case's own files replacing or adding to it) and one run of a
 * case through the real loader (and `evaluate` when the defect is only found there).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { ErrorKind } from '../engine/errors.ts';
import { isSparsegaugeError, type SparsegaugeError } from '../engine/errors.ts';
import { evaluate } from '../engine/index.ts';
import { loadRunDir, loadSpecFiles } from '../engine/input/load.ts';

export const CORPUS = resolve(import.meta.dirname, 'bad-inputs');
export const BASE = join(CORPUS, '_base');
/** The _base files in the order a user would list them (architecture first). */
export const BASE_FILES = ['arch.yaml', 'components.yaml', 'problem.yaml', 'mapping.yaml', 'sparse.yaml', 'ERT.yaml', 'ART.yaml'];

export interface Expectation {
  kind: ErrorKind;
  /** base name of the file the error names; '' = any (e.g. a run dir) */
  file: string;
  /** substring of the error's dotted field path */
  field?: string;
  /** 1-based line, where known */
  line?: number;
  /** substring of the message ('' = any) */
  message: string;
}

export interface CorpusCase {
  id: string;
  what: string;
  files: string[];
  omit?: string[];
  runDir?: boolean;
  evaluate?: boolean;
  /** load with `strict` (every key the model does not read refused) */
  strict?: boolean;
  vars?: Record<string, string>;
  expect: Expectation;
}

export function loadCorpus(): CorpusCase[] {
  return parse(readFileSync(join(CORPUS, 'cases.yaml'), 'utf8')) as CorpusCase[];
}

/** The spec files of a case: _base in BASE_FILES order, each replaced by the case's own file of the same name; added files last. */
export function caseFiles(c: CorpusCase): string[] {
  const own = (name: string): string => join(CORPUS, c.id, name);
  const base = BASE_FILES.filter((f) => !(c.omit ?? []).includes(f)).map((f) => (c.files.includes(f) ? own(f) : join(BASE, f)));
  return [...base, ...c.files.filter((f) => !BASE_FILES.includes(f)).map(own)];
}

export type Outcome = { error: SparsegaugeError } | { crash: unknown } | { ok: true };

/** Load (and evaluate) a case; a SparsegaugeError is the expected outcome, anything else a bug. */
export function runCase(c: CorpusCase): Outcome {
  try {
    const vars = c.vars ?? {};
    const spec = c.runDir ? loadRunDir(join(CORPUS, c.id), { vars, strict: c.strict }) : loadSpecFiles(caseFiles(c), { vars, strict: c.strict });
    if (c.evaluate) evaluate(spec);
    return { ok: true };
  } catch (e) {
    return isSparsegaugeError(e) ? { error: e } : { crash: e };
  }
}

/** How an outcome differs from the expectation; [] when it matches. */
export function mismatches(c: CorpusCase, outcome: Outcome): string[] {
  if ('ok' in outcome) return [`no error (expected ${c.expect.kind} error: ${c.expect.message})`];
  if ('crash' in outcome) return [`crash: ${outcome.crash instanceof Error ? (outcome.crash.stack ?? outcome.crash.message) : String(outcome.crash)}`];
  const e = outcome.error;
  const x = c.expect;
  const out: string[] = [];
  if (e.kind !== x.kind) out.push(`kind ${e.kind}, expected ${x.kind}`);
  if (!e.file) out.push('names no file');
  else if (x.file && !(e.file === x.file || e.file.endsWith(`/${x.file}`))) out.push(`file ${e.file}, expected …/${x.file}`);
  if (x.field !== undefined && !(e.field ?? '').includes(x.field)) out.push(`field ${e.field ?? '(none)'}, expected it to contain '${x.field}'`);
  if (x.line !== undefined && e.position?.line !== x.line) out.push(`line ${e.position?.line ?? '(none)'}, expected ${x.line}`);
  if (!e.message.includes(x.message)) out.push(`message '${e.message}', expected it to contain '${x.message}'`);
  if (e.message.includes('\n')) out.push('message spans several lines');
  return out;
}

