/**
 * Golden data: for every suite whose reference outputs are here (table7: the shared artifact beside
 * the clone; oracle: committed under golden/oracle/reference, so always), a fresh import reproduces
 * the committed golden files byte for byte; spot values read from both stats layouts (and the XML)
 * are the known ones.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { findManifestFiles } from '../scripts/lib/report/manifest.ts';
import { sharedRoot } from '../scripts/lib/shared-root.ts';
import { buildGoldenFiles } from '../scripts/lib/stats/golden.ts';
import { loadImportManifest, REPO_ROOT } from '../scripts/lib/stats/golden-cases.ts';
import type { Result } from '../engine/result/schema.ts';

const suites = findManifestFiles().map((file) => {
  const manifest = loadImportManifest(file);
  const available = existsSync(manifest.referenceRoot);
  // The reason a test skips, in its name: table7's references are the shared artifact.
  const needs = manifest.referenceRoot.startsWith(sharedRoot()) ? ' (needs ../shared)' : '';
  return { file, manifest, dir: dirname(file), available, needs };
});
const table7 = suites.find((s) => s.manifest.suite === 'table7')!;
const goldenDir = table7.dir;
const manifest = table7.manifest;
const golden = (id: string, dir = goldenDir): Result => JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8'));

describe.each(suites.map((s) => [s.manifest.suite, s] as const))('golden %s re-import', (_suite, { file, manifest, dir, available, needs }) => {
  // Imported only where the references are (a skipped block is still collected).
  const fresh = available ? buildGoldenFiles(file) : new Map<string, string>();

  test.skipIf(!available)(`one JSON per manifest case plus summary.csv${needs}`, () => {
    // The manifest's reference, then each mode reference in its golden folder (`mode_references`).
    const groups = ['', ...manifest.modeReferences.map((m) => m.goldenDir)];
    const expected = groups.flatMap((g) => [...manifest.cases.map((c) => join(g, `${c.id}.json`)), join(g, 'summary.csv')]);
    expect([...fresh.keys()].sort()).toEqual(expected.sort());
  });

  test.skipIf(!available).each([...fresh.keys()])(`%s is byte-identical to a fresh import${needs}`, (name) => {
    const committed = readFileSync(join(dir, name), 'utf8');
    expect(committed === fresh.get(name)).toBe(true);
  });

  test.skipIf(!available)(`a second import is identical to the first (deterministic)${needs}`, () => {
    const again = buildGoldenFiles(file);
    expect([...again]).toEqual([...fresh]);
  });
});

test('import-golden --check exits 0 on the committed files, checking every suite whose references are here', () => {
  const run = spawnSync('node', ['bin/sparsegauge.js', 'import-golden', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  for (const { manifest, available } of suites) {
    const files = (manifest.cases.length + 1) * (1 + manifest.modeReferences.length);
    if (available) expect(run.stdout).toContain(`${manifest.suite}: ${files} golden files checked, 0 differ`);
    else expect(run.stderr).toContain(`${manifest.suite}: skipped, reference root`);
  }
  // The oracle suite's references are committed: it is checked everywhere, CI included.
  expect(suites.find((s) => s.manifest.suite === 'oracle')?.available).toBe(true);
});

describe('golden table7 spot values', () => {
  test('conv1 sparse DRAM Outputs actual updates', () => {
    expect(golden('conv1-sparse').storage.DRAM.tensors.Outputs.updates.actual).toBe(455197);
  });
  test('conv1 sparse DRAM Outputs format updates per rank', () => {
    expect(golden('conv1-sparse').storage.DRAM.tensors.Outputs.formatUpdates?.actual).toEqual([
      { rank: 1, metadata: 0, payload: 33 },
      { rank: 0, metadata: 455197, payload: 0 },
    ]);
  });
  test('conv3 sparse weights_spad Weights reads: algorithmic / actual / gated per instance', () => {
    expect(golden('conv3-sparse').storage.weights_spad.tensors.Weights.reads).toEqual({ algorithmic: 3833856, actual: 1054311, gated: 2779545, skipped: 0 });
  });
  test('conv3 sparse summary cycles and weights_spad throttling (full precision from XML)', () => {
    const g = golden('conv3-sparse');
    expect(g.summary.cycles).toBe(1916929);
    expect(g.storage.weights_spad.stats.bandwidthThrottling).not.toBe(0.55);
    expect(Math.abs(g.storage.weights_spad.stats.bandwidthThrottling - 0.55)).toBeLessThan(0.005);
  });
  test('conv3 sparse DRAM Inputs shared bandwidth is the XML double', () => {
    expect(golden('conv3-sparse').storage.DRAM.tensors.Inputs.bandwidth.sharedPerInstance).toBe(4.73373606080179365e-1);
  });
  test('conv1 dense DRAM Inputs reads (older dense layout)', () => {
    const g = golden('conv1-dense');
    expect(g.meta.statsFormat).toBe('timeloop-dense');
    expect(g.storage.DRAM.tensors.Inputs.reads).toEqual({ actual: 776160 });
  });
  test('conv1 sparse MACs energy comes from the XML at full precision', () => {
    expect(golden('conv1-sparse').arithmetic.stats.energy).toBe(9.61846283059199929e8);
  });
  test('meta records compat from the manifest and sources relative to reference_root', () => {
    expect(golden('conv2-sparse').meta).toEqual({
      producer: 'sparseloop-stats',
      statsFormat: 'sparseloop',
      compat: 'micro22',
      sources: ['ref_outputs/alexnet_conv2/output/timeloop-model.stats.txt', 'ref_outputs/alexnet_conv2/output/timeloop-model.map+stats.xml'],
    });
    expect(golden('conv2-dense').meta.compat).toBe('public');
  });
  test('summary.csv has one row per case with the headline columns', () => {
    const lines = readFileSync(join(goldenDir, 'summary.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + manifest.cases.length);
    const header = lines[0].split(',');
    const row = (id: string) => Object.fromEntries(lines.find((l) => l.startsWith(`${id},`))!.split(',').map((v, i) => [header[i], v]));
    expect(row('conv3-sparse').cycles).toBe('1916929');
    expect(row('conv1-dense').outer_Inputs_reads).toBe('776160');
    expect(row('conv1-sparse').outer_Outputs_updates).toBe('455197');
    expect(row('conv1-sparse').energy_MACs_pJ).toBe(String(9.61846283059199929e8));
  });
});

describe.each(suites.map((s) => [s.manifest.suite, s] as const))('import-golden --check detects drift in %s', (_suite, { file, manifest, dir, available, needs }) => {
  test.skipIf(!available)(`a manifest pointing a case at another reference makes --check fail${needs}`, () => {
    // Same suite folder, the first case's id re-pointed at the second case's reference: the JSON differs.
    const [first, second] = manifest.cases;
    const alt = join(dir, `check-drift.${process.pid}.tmp`);
    const text = readFileSync(file, 'utf8').replace(`reference: ${first.reference},`, `reference: ${second.reference},`);
    expect(text).not.toBe(readFileSync(file, 'utf8'));
    writeFileSync(alt, text);
    try {
      const r = spawnSync('node', ['bin/sparsegauge.js', 'import-golden', '--check', '--manifest', alt], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${first.id}.json`);
      expect(r.stdout).toMatch(/golden files checked, [1-9]\d* differ/);
    } finally {
      rmSync(alt, { force: true });
    }
  });
});

describe('golden oracle spot values', () => {
  const oracleDir = suites.find((s) => s.manifest.suite === 'oracle')!.dir;
  const oracle = (id: string) => golden(id, oracleDir);
  test('meta: public compat, sources relative to golden/oracle/reference', () => {
    expect(oracle('e_conv3_I_bitmask_dram').meta).toEqual({
      producer: 'sparseloop-stats',
      statsFormat: 'sparseloop',
      compat: 'public',
      sources: ['e_conv3_I_bitmask_dram/output/timeloop-model.stats.txt', 'e_conv3_I_bitmask_dram/output/timeloop-model.map+stats.xml'],
    });
  });
  test('bitmask Inputs at DRAM: metadata charged per 5-bit metadata word (59735280 pJ)', () => {
    expect(oracle('e_conv3_I_bitmask_dram').storage.DRAM.tensors.Inputs.energyTotal).toBe(59735280);
  });
  test('hypergeometric Weights: ifmap_spad Inputs reads gated on them', () => {
    expect(oracle('e_conv3_hypergeo_W').storage.ifmap_spad.tensors.Inputs.reads).toEqual({ algorithmic: 3833856, actual: 1327028, gated: 2506828, skipped: 0 });
  });
  test('the dense control reproduces the Table 7 conv3 dense reference counts', () => {
    const control = oracle('z_conv3_dense_control');
    const t7 = golden('conv3-dense');
    expect(control.summary.cycles).toBe(t7.summary.cycles);
    expect(control.storage.DRAM.tensors.Inputs.reads).toEqual(t7.storage.DRAM.tensors.Inputs.reads);
  });
  test('summary.csv: one row per case, empty layer and kind (cases named by id)', () => {
    const lines = readFileSync(join(oracleDir, 'summary.csv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1 + suites.find((s) => s.manifest.suite === 'oracle')!.manifest.cases.length);
    expect(lines.find((l) => l.startsWith('b_vgg3x3_dense,'))).toMatch(/^b_vgg3x3_dense,,,DRAM,/);
  });
});
