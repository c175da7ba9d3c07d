/**
 * Errors raised after loading name a dotted field; evaluate() gives them the file and line/column
 * the loader recorded for the longest path containing that field (engine/input/locate.ts).
 */
import { describe, expect, test } from 'vitest';
import { SparsegaugeError } from '../engine/errors.ts';
import { locateError } from '../engine/input/locate.ts';
import type { SpecOrigin } from '../engine/input/types.ts';
import { join } from 'node:path';
import { loadSpecFiles } from '../engine/input/load.ts';
import { BASE, BASE_FILES } from './bad-input-corpus.ts';

const origin: SpecOrigin = {
  files: { sparse_optimizations: 's.yaml' },
  positions: {
    'sparse_optimizations.targets.SMEM': { file: 's.yaml', position: { line: 4, column: 5 } },
    'sparse_optimizations.targets.SMEM.representation-format.data-spaces.B': { file: 's.yaml', position: { line: 9, column: 9 } },
    'sparse_optimizations.targets.SM': { file: 's.yaml', position: { line: 20, column: 5 } },
  },
};
const err = (field: string, details: Partial<{ file: string; line: number }> = {}): SparsegaugeError =>
  new SparsegaugeError('unsupported', 'm', { field, file: details.file, position: details.line ? { line: details.line, column: 1 } : undefined });

describe('locateError', () => {
  test('the longest recorded path containing the field gives the position', () => {
    const e = locateError(origin, err('sparse_optimizations.targets.SMEM.representation-format.data-spaces.B.ranks')) as SparsegaugeError;
    expect([e.file, e.position, e.field, e.kind, e.message]).toEqual(['s.yaml', { line: 9, column: 9 }, 'sparse_optimizations.targets.SMEM.representation-format.data-spaces.B.ranks', 'unsupported', 'm']);
    const t = locateError(origin, err('sparse_optimizations.targets.SMEM.action-optimization[0]')) as SparsegaugeError;
    expect(t.position).toEqual({ line: 4, column: 5 });
  });
  test('a path is contained only at a segment boundary (an unrecorded field gets only its section file); positioned and unrelated errors are unchanged', () => {
    const e = locateError(origin, err('sparse_optimizations.targets.SMEMX')) as SparsegaugeError;
    expect([e.file, e.position]).toEqual(['s.yaml', undefined]);
    const positioned = err('sparse_optimizations.targets.SMEM', { file: 'other.yaml', line: 2 });
    expect(locateError(origin, positioned)).toBe(positioned);
    const plain = new Error('x');
    expect(locateError(origin, plain)).toBe(plain);
  });
});

test('the loader records each sparse target and data-space format', () => {
  const spec = loadSpecFiles(BASE_FILES.map((f) => join(BASE, f)));
  const at = (p: string) => spec.origin.positions?.[p];
  expect(at('sparse_optimizations.targets.DRAM')?.position).toEqual({ line: 4, column: 5 });
  expect(at('sparse_optimizations.targets.DRAM.representation-format.data-spaces.Outputs')?.position).toEqual({ line: 7, column: 9 });
  expect(at('sparse_optimizations.targets.DRAM')?.file).toMatch(/sparse\.yaml$/);
});
