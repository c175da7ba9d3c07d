/**
 * Keys and attributes the model does not read (engine/input/unknown-keys.ts): accepted with one
 * positioned warning per key, except a near miss of a key read at that place (an error naming it)
 * and every one of them under `strict` / `--strict`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { formatError, isSparsegaugeError, type SparsegaugeError } from '../engine/errors.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { editDistance, isNearMiss, likelyIntended } from '../engine/input/unknown-keys.ts';
import { parseEvaluateArgs } from '../scripts/commands/evaluate.ts';
import { BASE, BASE_FILES } from './bad-input-corpus.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const baseFiles = BASE_FILES.map((f) => join(BASE, f));

/** The _base spec with text replacements applied to some of its files (written to a temp dir). */
function variant(edits: Record<string, [string, string][]>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'sg-unknown-'));
  return BASE_FILES.map((name) => {
    if (!edits[name]) return join(BASE, name);
    let text = readFileSync(join(BASE, name), 'utf8');
    for (const [from, to] of edits[name]) {
      if (!text.includes(from)) throw new Error(`test setup: '${from}' not in ${name}`);
      text = text.replace(from, to);
    }
    const out = join(dir, name);
    writeFileSync(out, text);
    return out;
  });
}

function errorOf(fn: () => unknown): SparsegaugeError {
  try {
    fn();
  } catch (e) {
    if (isSparsegaugeError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
}

// Plug-in attributes (one of a component with 12 instances, one written at two components), a key for another
// tool at the top level, `split` in a temporal directive, an unknown key of a rank format.
const accepted = variant({
  'arch.yaml': [
    ['        metadata_storage_width: 5\n', '        metadata_storage_width: 5\n        metadata_n_banks: 2\n'],
    ['          meshX: 4\n', '          meshX: 4\n          control_queue_depth: 4\n'],
    ['          data_storage_depth: 224\n', '          data_storage_depth: 224\n          metadata_n_banks: 1\n'],
  ],
  'mapping.yaml': [['  factors: R=3\n  permutation: R\n', '  factors: R=3\n  permutation: R\n  split: 1\n']],
  'problem.yaml': [['problem:', 'other_tool_settings:\n  verbose: true\nproblem:']],
});

describe('unknown keys are accepted with a positioned warning', () => {
  const base = evaluate(loadSpecFiles(baseFiles));
  const spec = loadSpecFiles(accepted);
  const result = evaluate(spec);

  test('one warning per key, naming file:line:col, the key and where it is', () => {
    expect(base.meta.warnings).toBeUndefined();
    const w = result.meta.warnings ?? [];
    expect(w).toHaveLength(4);
    const archFile = accepted[BASE_FILES.indexOf('arch.yaml')];
    const byKey = (k: string): string => w.find((x) => x.includes(`'${k}'`)) ?? '';
    expect(byKey('metadata_n_banks')).toMatch(new RegExp(`^${archFile.replace(/[/\\.]/g, '\\$&')}:19:9: unknown key 'metadata_n_banks' in architecture\\.subtree\\[eyeriss_12\\]\\.local\\[DRAM\\]\\.attributes ignored, not read by the model \\(and 1 more place\\)$`));
    // Read for 12 instances but written once: listed once, without "more places".
    expect(byKey('control_queue_depth')).toMatch(/arch\.yaml:50:11: unknown key 'control_queue_depth' in .*attributes ignored, not read by the model$/);
    expect(byKey('split')).toMatch(/mapping\.yaml:\d+:3: unknown key 'split' in mapping\[\d+\] ignored/);
    expect(byKey('other_tool_settings')).toMatch(/problem\.yaml:2:1: unknown key 'other_tool_settings' in \(root\) ignored/);
    expect(spec.warnings).toEqual(w);
  });

  test('the ignored keys change no number', () => {
    const { meta: _a, ...numbers } = result;
    const { meta: _b, ...baseNumbers } = base;
    expect(numbers).toEqual(baseNumbers);
  });

  test('strict refuses each of them, positioned', () => {
    const e = errorOf(() => loadSpecFiles(accepted, { strict: true }));
    expect(e.kind).toBe('schema');
    expect(formatError(e)).toMatch(/problem\.yaml:2:1: schema error in other_tool_settings: unknown key 'other_tool_settings' \(expected one of: architecture, /);
    const attr = errorOf(() => loadSpecFiles(variant({ 'arch.yaml': [['        metadata_storage_width: 5\n', '        metadata_storage_width: 5\n        metadata_n_banks: 2\n']] }), { strict: true }));
    expect(formatError(attr)).toMatch(/arch\.yaml:19:9: schema error in .*DRAM.*metadata_n_banks: unknown attribute 'metadata_n_banks' of DRAM \(not read by the model/);
    const split = errorOf(() => loadSpecFiles(variant({ 'mapping.yaml': [['  factors: R=3\n  permutation: R\n', '  factors: R=3\n  permutation: R\n  split: 1\n']] }), { strict: true }));
    expect(split.message).toBe("unknown key 'split' in a temporal directive (it does not belong there)");
  });
});

describe('near misses of a key read at that place stay errors, strict or not', () => {
  const cases: [string, Record<string, [string, string][]>, string, string][] = [
    ['attribute', { 'arch.yaml': [['        datawidth: 16\n        metadata', '        datawdith: 16\n        metadata']] }, "unknown attribute 'datawdith' (did you mean 'datawidth'?)", 'datawdith'],
    ['short attribute, case', { 'arch.yaml': [['          meshX: 4\n', '          meshx: 4\n']] }, "unknown attribute 'meshx' (did you mean 'meshX'?)", 'meshx'],
    ['directive key', { 'mapping.yaml': [['  factors: R=3\n', '  factor: R=3\n']] }, "unknown key 'factor' (did you mean 'factors'?)", 'factor'],
    ['top-level key', { 'problem.yaml': [['problem:', 'problm:']] }, "unknown key 'problm' (did you mean 'problem'?)", 'problm'],
    ['split outside its directive, misspelt', { 'mapping.yaml': [['  factors: R=3\n  permutation: R\n', '  factors: R=3\n  permutation: R\n  splt: 1\n']] }, "unknown key 'splt' (did you mean 'split'?)", 'splt'],
  ];
  test.each(cases)('%s', (_what, edits, message, field) => {
    const e = errorOf(() => loadSpecFiles(variant(edits)));
    expect(e.kind).toBe('schema');
    expect(e.message).toBe(message);
    expect(e.field).toContain(field);
    expect(e.position?.line).toBeGreaterThan(0);
  });
});

describe('the near-miss rule', () => {
  test('edit distance counts adjacent transpositions as one edit', () => {
    expect(editDistance('datawdith', 'datawidth')).toBe(1);
    expect(editDistance('permutation', 'permutaion')).toBe(1);
    expect(editDistance('nports', 'num_ports')).toBe(3);
  });
  test('2 edits for longer keys, 1 for keys of at most 5 characters', () => {
    expect(isNearMiss('read_bandwdth_', 'read_bandwidth')).toBe(true);
    expect(isNearMiss('kep', 'keep')).toBe(true);
    expect(isNearMiss('kp', 'keep')).toBe(false);
    expect(isNearMiss('deep', 'keep')).toBe(true);
    expect(isNearMiss('depth', 'width')).toBe(false);
  });
  test('plug-in attributes of the published corpus are not near misses of read attributes', () => {
    const read = ['datawidth', 'width', 'depth', 'block_size', 'n_banks', 'num_banks', 'num_ports', 'metadata_datawidth', 'metadata_storage_width', 'metadata_storage_depth', 'entries', 'size', 'cluster_size'];
    for (const k of ['nports', 'control_queue_depth', 'metadata_n_banks', 'n_rdwr_ports', 'counter_width']) expect(likelyIntended(k, read)).toBeUndefined();
  });
});

describe('sparsegauge evaluate --strict', () => {
  test('parses as a flag', () => {
    expect(parseEvaluateArgs(['a.yaml']).strict).toBe(false);
    expect(parseEvaluateArgs(['a.yaml', '--strict']).strict).toBe(true);
  });

  test('prints each warning on stderr; --strict exits 1 with the one-line error', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sg-unknown-cli-')), 'r.json');
    const run = promisify(execFile);
    const r = await run('node', ['bin/sparsegauge.js', 'evaluate', ...accepted, '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/ExperimentalWarning|--trace-warnings/.test(l));
    const warnings = JSON.parse(readFileSync(out, 'utf8')).meta.warnings as string[];
    expect(lines).toEqual(warnings.map((w) => `warning: ${w}`));
    const strict = await run('node', ['bin/sparsegauge.js', 'evaluate', ...accepted, '--strict', '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(strict.code).toBe(1);
    expect(strict.stderr.trim().split('\n').filter((l) => !/ExperimentalWarning|--trace-warnings/.test(l))).toHaveLength(1);
    expect(strict.stderr).toMatch(/problem\.yaml:2:1: schema error in other_tool_settings: unknown key 'other_tool_settings'/);
  });
});
