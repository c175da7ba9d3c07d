/**
 * Case manifests (golden/<suite>/cases.yaml): the keys every suite must declare, per-case spec files,
 * cases named by id, and what the oracle suite may commit as reference data (outputs only).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { isSparsegaugeError } from '../engine/errors.ts';
import { caseLabel, findManifestFiles, loadManifest, type Manifest } from '../scripts/lib/report/manifest.ts';
import { loadImportManifest } from '../scripts/lib/stats/golden-cases.ts';

const suites = new Map(findManifestFiles().map((f) => [loadManifest(f).suite, loadManifest(f)] as const));
const oracle = suites.get('oracle') as Manifest;
const tmp = mkdtempSync(join(tmpdir(), 'sparsegauge-manifest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let written = 0;
function manifestError(text: string, load: (file: string) => unknown = loadManifest): { field?: string; message: string } {
  const file = join(tmp, `m${written++}.yaml`);
  writeFileSync(file, text);
  try {
    load(file);
  } catch (e) {
    if (isSparsegaugeError(e)) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error('no error');
}

const HEAD = 'suite: s\nreference_root: .\n';

describe('manifest keys', () => {
  test('table7 declares reference inputs (the shared run dirs), oracle does not (outputs only)', () => {
    expect(suites.get('table7')?.referenceInputs).toBe(true);
    expect(oracle.referenceInputs).toBe(false);
  });

  test('reference_inputs is required, so no suite drops the reference-input check silently', () => {
    expect(manifestError(`${HEAD}cases: [{ id: a, compat: public, reference: a }]\n`)).toMatchObject({ field: 'reference_inputs' });
  });

  test('layer and kind: both or neither', () => {
    const text = `${HEAD}reference_inputs: false\ncases: [{ id: a, layer: conv1, compat: public, reference: a }]\n`;
    const expected = { field: 'cases[0].kind', message: 'give both layer and kind, or neither' };
    expect(manifestError(text)).toMatchObject(expected);
    expect(manifestError(text, loadImportManifest)).toMatchObject(expected);
  });

  test('a case named by id; its own spec files follow the suite spec', () => {
    const c = oracle.cases.find((k) => k.id === 'b_vgg3x3_dense')!;
    expect(caseLabel(c)).toBe('b_vgg3x3_dense');
    expect(c.spec.slice(0, oracle.spec.length)).toEqual(oracle.spec);
    expect(c.spec.slice(oracle.spec.length).map((f) => f.split('/golden/')[1])).toEqual(['oracle/spec/b_vgg3x3_dense.yaml']);
    const t7 = suites.get('table7')!.cases[0];
    expect(caseLabel(t7)).toBe('conv1 sparse');
    expect(t7.spec).toEqual(suites.get('table7')!.spec);
  });
});

describe('oracle reference data', () => {
  const own = oracle.cases.filter((c) => !c.modeReference);
  const master = oracle.cases.filter((c) => c.modeReference);

  test('every case is evaluated in the public mode, and again in the timeloop-4cf6d4c mode against master', () => {
    expect(own.filter((c) => c.compat !== 'public').map((c) => c.id)).toEqual([]);
    expect(master.map((c) => c.id)).toEqual(own.map((c) => `${c.id}@timeloop-4cf6d4c`));
    expect(master.filter((c) => c.compat !== 'timeloop-4cf6d4c').map((c) => c.id)).toEqual([]);
  });

  test('each reference dir holds the two Timeloop outputs and nothing else (no inputs, no shared copies)', () => {
    const referenceRoot = join(oracle.file, '..', 'reference');
    expect(readdirSync(referenceRoot).sort()).toEqual(own.map((c) => c.id).sort());
    for (const c of own) {
      expect(readdirSync(c.referenceDir), c.id).toEqual(['output']);
      expect(readdirSync(join(c.referenceDir, 'output')).sort(), c.id).toEqual(['timeloop-model.map+stats.xml', 'timeloop-model.stats.txt']);
    }
  });

  test("each master reference dir holds master's two outputs (all stats printed) and the stats of its default run", () => {
    const referenceRoot = join(oracle.file, '..', 'reference-master');
    expect(readdirSync(referenceRoot).sort()).toEqual(own.map((c) => c.id).sort());
    for (const c of master) {
      expect(c.referenceDir, c.id).toBe(join(referenceRoot, c.modeReference!.caseId));
      expect(readdirSync(c.referenceDir).sort(), c.id).toEqual(['output', 'output-default']);
      expect(readdirSync(join(c.referenceDir, 'output')).sort(), c.id).toEqual(['timeloop-model.map+stats.xml', 'timeloop-model.stats.txt']);
      expect(readdirSync(join(c.referenceDir, 'output-default')), c.id).toEqual(['timeloop-model.stats.txt']);
    }
  });

  test('each case has its own spec file, and the spec folder holds nothing else', () => {
    const specDir = join(oracle.file, '..', 'spec');
    expect(readdirSync(specDir).sort()).toEqual(own.map((c) => `${c.id}.yaml`).sort());
    for (const c of master) expect(c.spec, c.id).toEqual(own.find((o) => o.id === c.modeReference!.caseId)!.spec);
  });
});
