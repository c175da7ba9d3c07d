/**
 * Hostile numbers (issue 10, class 2): every count is exact or refused. Each case edits one value
 * of the valid compact Eyeriss of suites/bad-inputs/_base/ and expects a `value` error naming the
 * field and file (and line where the value is read from a file). None may hang, run out of memory
 * or print a rounded count; each one evaluated (or looped, or rounded) before the checks existed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { isSparsegaugeError, type SparsegaugeError } from '../engine/errors.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { BASE, BASE_FILES } from './bad-input-corpus.ts';

const dir = mkdtempSync(join(tmpdir(), 'sparsegauge-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Edits = Partial<Record<(typeof BASE_FILES)[number], [from: string | RegExp, to: string][]>>;
let serial = 0;

/** The base spec with textual edits (each must apply), loaded and evaluated; the error it throws. */
function outcome(edits: Edits): SparsegaugeError | 'ok' {
  const caseDir = join(dir, String(serial++));
  rmSync(caseDir, { recursive: true, force: true });
  const files = BASE_FILES.map((name) => {
    let text = readFileSync(join(BASE, name), 'utf8');
    for (const [from, to] of edits[name as keyof Edits] ?? []) {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit ${String(from)} does not apply to ${name}`);
      text = next;
    }
    const path = join(dir, `${serial}-${name}`);
    writeFileSync(path, text);
    return path;
  });
  try {
    evaluate(loadSpecFiles(files));
    return 'ok';
  } catch (e) {
    if (isSparsegaugeError(e)) return e;
    throw e;
  }
}

interface Expect {
  file: string;
  field: string;
  message: string;
  /** the line of the edited value, when the error is raised where it is read */
  line?: number;
}

function expectValueError(edits: Edits, x: Expect): SparsegaugeError {
  const e = outcome(edits);
  if (e === 'ok') throw new Error(`no error, expected a value error in ${x.field}`);
  expect({ kind: e.kind, field: e.field, message: e.message }).toEqual({ kind: 'value', field: expect.stringContaining(x.field), message: expect.stringContaining(x.message) });
  expect(e.file?.endsWith(x.file)).toBe(true);
  if (x.line !== undefined) expect(e.position?.line).toBe(x.line);
  return e;
}

const lineOf = (file: string, text: string): number => readFileSync(join(BASE, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('the edited base spec is valid without the hostile value', () => {
  test('no edits: it evaluates', () => expect(outcome({})).toBe('ok'));
  test('a batch of 1024 (factor at DRAM) evaluates', () => {
    expect(outcome({ 'problem.yaml': [['N: 1', 'N: 1024']], 'mapping.yaml': [['factors: C=2 Q=2', 'factors: C=2 Q=2 N=1024']] })).toBe('ok');
  });
});

describe('integer inputs beyond what the engine computes exactly', () => {
  test('a batch of 5e15', () => {
    expectValueError(
      { 'problem.yaml': [['N: 1', 'N: 5000000000000000']], 'mapping.yaml': [['factors: C=2 Q=2', 'factors: C=2 Q=2 N=5000000000000000']] },
      { file: 'problem.yaml', field: 'problem.instance.N', message: '2^31 - 1', line: lineOf('problem.yaml', 'N: 1') },
    );
  });
  test('a dimension size of 2^53 + 1 with a factor of 2^53 (equal once rounded)', () => {
    expectValueError(
      { 'problem.yaml': [['N: 1', 'N: 9007199254740993']], 'mapping.yaml': [['factors: C=2 Q=2', 'factors: C=2 Q=2 N=9007199254740992']] },
      { file: 'problem.yaml', field: 'problem.instance.N', message: 'exceeds', line: lineOf('problem.yaml', 'N: 1') },
    );
  });
  test('a factor of 2^53', () => {
    expectValueError(
      { 'mapping.yaml': [['factors: C=2 Q=2', 'factors: C=2 Q=2 N=9007199254740992']] },
      { file: 'mapping.yaml', field: 'mapping[0].factors.N', message: 'factor', line: lineOf('mapping.yaml', 'factors: C=2 Q=2') },
    );
  });
  test('a 30-digit factor is refused on its digits', () => {
    expectValueError({ 'mapping.yaml': [['factors: C=2 Q=2', 'factors: C=2 Q=2 N=100000000000000000000000000001']] }, { file: 'mapping.yaml', field: 'factors.N', message: '1000000' });
  });
  test('an instance range PE[0..2^53]', () => {
    expectValueError(
      { 'arch.yaml': [['PE[0..11]', 'PE[0..9007199254740992]']] },
      { file: 'arch.yaml', field: 'name', message: 'instance index', line: lineOf('arch.yaml', 'PE[0..11]') },
    );
  });
  test('nested instance ranges whose product passes 2^31 - 1', () => {
    expectValueError(
      { 'arch.yaml': [['- name: eyeriss_12', '- name: eyeriss_12[0..65535]'], ['PE[0..11]', 'PE[0..65535]']] },
      { file: 'arch.yaml', field: 'name', message: 'instances', line: lineOf('arch.yaml', 'PE[0..11]') },
    );
  });
  test('a coefficient of 1e15', () => {
    expectValueError(
      { 'problem.yaml': [[/coefficients:\n    - name: Wstride\n      default: 1/, 'coefficients:\n    - name: Wstride\n      default: 1000000000000000']] },
      { file: 'problem.yaml', field: 'coefficients[0].default', message: 'exceeds', line: lineOf('problem.yaml', 'default: 1') },
    );
  });
  test('a depth of 1e300', () => {
    expectValueError(
      { 'arch.yaml': [['data_storage_depth: 2048', 'data_storage_depth: 1e300']] },
      { file: 'arch.yaml', field: 'data_storage_depth', message: '2^53 - 1', line: lineOf('arch.yaml', 'data_storage_depth: 2048') },
    );
  });
  test('a storage width of 0', () => {
    expectValueError(
      { 'arch.yaml': [['width: 64\n        block_size: 4\n        datawidth: 16', 'width: 0\n        block_size: 4\n        datawidth: 16']] },
      { file: 'arch.yaml', field: 'DRAM', message: '>= 1', line: lineOf('arch.yaml', 'width: 64') },
    );
  });
});

describe('real inputs that are not finite, or too large or small to compute with', () => {
  test('an energy of 1e300', () => {
    expectValueError({ 'ERT.yaml': [['energy: 512}', 'energy: 1e300}']] }, { file: 'ERT.yaml', field: 'energy', message: 'too large', line: lineOf('ERT.yaml', 'energy: 512}') });
  });
  test('a bandwidth of 1e-300', () => {
    expectValueError(
      { 'arch.yaml': [['read_bandwidth: 16', 'read_bandwidth: 1e-300']] },
      { file: 'arch.yaml', field: 'read_bandwidth', message: 'too small', line: lineOf('arch.yaml', 'read_bandwidth: 16') },
    );
  });
  test('a density of 1e-300', () => {
    expectValueError({ 'problem.yaml': [['Inputs: 0.5', 'Inputs: 1e-300']] }, { file: 'problem.yaml', field: 'densities.Inputs', message: 'too small', line: lineOf('problem.yaml', 'Inputs: 0.5') });
  });
  test('an energy of .nan', () => {
    expectValueError({ 'ERT.yaml': [['energy: 49.17}', 'energy: .nan}']] }, { file: 'ERT.yaml', field: 'energy', message: 'NaN', line: lineOf('ERT.yaml', 'energy: 49.17}') });
  });
  test('a meshX of .nan is refused as not a number, not as two spellings that disagree', () => {
    expectValueError({ 'arch.yaml': [['        meshX: 4', '        meshX: .nan']] }, { file: 'arch.yaml', field: 'meshX', message: 'NaN', line: lineOf('arch.yaml', '        meshX: 4') });
  });
  test('an area of .inf', () => {
    expectValueError({ 'ART.yaml': [['area: 160000}', 'area: .inf}']] }, { file: 'ART.yaml', field: 'area', message: 'infinity', line: lineOf('ART.yaml', 'area: 160000}') });
  });
  test('a bandwidth of -.inf', () => {
    expectValueError(
      { 'arch.yaml': [['write_bandwidth: 16', 'write_bandwidth: -.inf']] },
      { file: 'arch.yaml', field: 'write_bandwidth', message: '-infinity', line: lineOf('arch.yaml', 'write_bandwidth: 16') },
    );
  });
});

describe('derived counts that would pass 2^53 - 1', () => {
  test('dimension sizes each in range whose product (the computes) passes 2^53 - 1', () => {
    const e = expectValueError(
      {
        'problem.yaml': [['N: 1', 'N: 1073741824'], ['M: 8', 'M: 8388608']],
        'mapping.yaml': [['factors: C=2 Q=2', 'factors: C=2 Q=2 N=1073741824 M=1048576']],
      },
      { file: 'problem.yaml', field: 'problem.instance', message: 'algorithmic computes', line: lineOf('problem.yaml', 'C: 4') },
    );
    expect(e.message).toContain('2^53 - 1');
  });
  test('strides that make the input tensor (a sparse DRAM tile) pass 2^53 words', () => {
    expectValueError(
      {
        'problem.yaml': [
          [/- name: Wstride\n      default: 1/, '- name: Wstride\n      default: 2147483647'],
          [/- name: Hstride\n      default: 1/, '- name: Hstride\n      default: 2147483647'],
        ],
      },
      { file: 'problem.yaml', field: 'problem.instance', message: 'tile expansions', line: lineOf('problem.yaml', 'C: 4') },
    );
  });
  test('a bandwidth within range that stretches the cycles past 2^53 - 1 is refused by the result guard', () => {
    expectValueError({ 'arch.yaml': [['read_bandwidth: 16', 'read_bandwidth: 1e-29']] }, { file: 'arch.yaml', field: 'cycles', message: 'beyond 2^53 - 1' });
  });
});
