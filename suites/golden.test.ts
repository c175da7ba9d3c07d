/**
 * Golden data: a fresh import of every shared reference run reproduces the committed golden files
 * byte for byte, and spot values read from both stats layouts (and the XML) are the known ones.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { buildGoldenFiles } from '../scripts/lib/stats/golden.ts';
import { loadImportManifest, REPO_ROOT } from '../scripts/lib/stats/golden-cases.ts';
import type { Result } from '../engine/result/schema.ts';

const manifestFile = join(REPO_ROOT, 'golden', 'table7', 'cases.yaml');
const goldenDir = join(REPO_ROOT, 'golden', 'table7');
const manifest = loadImportManifest(manifestFile);
const referenceAvailable = existsSync(manifest.referenceRoot);
const golden = (id: string): Result => JSON.parse(readFileSync(join(goldenDir, `${id}.json`), 'utf8'));

describe.skipIf(!referenceAvailable)('golden table7 re-import', () => {
  const fresh = buildGoldenFiles(manifestFile);

  test('one JSON per manifest case plus summary.csv', () => {
    expect([...fresh.keys()].sort()).toEqual([...manifest.cases.map((c) => `${c.id}.json`), 'summary.csv'].sort());
  });

  test.each([...fresh.keys()])('%s is byte-identical to a fresh import', (name) => {
    const committed = readFileSync(join(goldenDir, name), 'utf8');
    expect(committed === fresh.get(name)).toBe(true);
  });

  test('a second import is identical to the first (deterministic)', () => {
    const again = buildGoldenFiles(manifestFile);
    expect([...again]).toEqual([...fresh]);
  });

  test('import-golden --check exits 0 on the committed files', () => {
    const out = execFileSync('node', ['bin/sparsegauge.js', 'import-golden', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(out).toContain(`${fresh.size} golden files checked, 0 differ`);
  });
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

describe.skipIf(!referenceAvailable)('import-golden --check detects drift', () => {
  test('a manifest pointing a case at another reference makes --check fail', () => {
    // Same suite folder, conv1-sparse's id re-pointed at the conv2 reference: the JSON differs.
    const alt = join(REPO_ROOT, 'golden', 'table7', `check-drift.${process.pid}.tmp`);
    const text = readFileSync(manifestFile, 'utf8').replace('reference: ref_outputs/alexnet_conv1,', 'reference: ref_outputs/alexnet_conv2,');
    expect(text).not.toBe(readFileSync(manifestFile, 'utf8'));
    writeFileSync(alt, text);
    try {
      const r = spawnSync('node', ['bin/sparsegauge.js', 'import-golden', '--check', '--manifest', alt], { cwd: REPO_ROOT, encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('conv1-sparse.json');
      expect(r.stdout).toMatch(/golden files checked, [1-9]\d* differ/);
    } finally {
      rmSync(alt, { force: true });
    }
  });
});
