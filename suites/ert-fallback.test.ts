/**
 * An ERT that lacks a non-data action the counts need (metadata, gated, skipped,
 * (de)compression) after the whole fallback chain: Timeloop charges 0 pJ; we do the same but say
 * so in `meta.warnings` and on stderr. A missing data action (read, fill, update, compute), or a
 * missing table, costs Timeloop's built-in estimate; a missing area table gives area 0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { loadSpecFiles } from '../engine/input/load.ts';
import { BASE, BASE_FILES } from './bad-input-corpus.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');
// The compact Eyeriss of bad-inputs/_base (compressed Outputs at DRAM) with an ERT whose DRAM
// table has neither metadata_write nor idle: the chain of random_metadata_update ends with nothing.
const files = BASE_FILES.map((f) => (f === 'ERT.yaml' ? join(import.meta.dirname, 'ert-fallback', 'ERT-no-metadata-write.yaml') : join(BASE, f)));
/** The base files with one of them replaced by a file of suites/ert-fallback/. */
const withFile = (name: 'ERT.yaml' | 'ART.yaml', replacement: string): string[] =>
  BASE_FILES.map((f) => (f === name ? join(import.meta.dirname, 'ert-fallback', replacement) : join(BASE, f)));
/** Timeloop's built-in SRAM estimate for a 16-bit word, block 1, cluster 1 buffer of `depth` words. */
const sram16 = (depth: number): number => (1 + ((6 - 1) / (100 - 0.5)) * ((16 * depth) / 8192 - 0.5)) * (16 / 16);

describe('an ERT missing a metadata action', () => {
  const result = evaluate(loadSpecFiles(files));
  const base = evaluate(loadSpecFiles(BASE_FILES.map((f) => join(BASE, f))));

  test('evaluates, with one warning naming the component, the action and the 0 pJ charged', () => {
    expect(base.meta.warnings).toBeUndefined();
    expect(result.meta.warnings).toHaveLength(1);
    const w = result.meta.warnings![0];
    expect(w).toMatch(/^DRAM: /);
    expect(w).toContain('random_metadata_update');
    expect(w).toContain("'metadata_write', 'metadata_idle', 'idle'");
    expect(w).toContain('0 pJ');
  });

  test('the DRAM Outputs energy is the data energy alone: ⌈actual updates / block 4⌉ · 512 pJ', () => {
    const o = result.storage.DRAM.tensors.Outputs;
    expect(o.reads.actual).toBe(0);
    expect(o.fills.actual).toBe(0);
    expect(o.energyPerInstance).toBe(Math.ceil(o.updates.actual / 4) * 512);
    // With metadata_write at 40 pJ (the base ERT) the format updates cost extra.
    expect(base.storage.DRAM.tensors.Outputs.energyPerInstance).toBeGreaterThan(o.energyPerInstance);
  });

  test('sparsegauge evaluate prints the warning on stderr, one line prefixed warning:, and succeeds', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'sg-ert-')), 'r.json');
    const r = await promisify(execFile)('node', ['bin/sparsegauge.js', 'evaluate', ...files, '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
    const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !/ExperimentalWarning|--trace-warnings/.test(l));
    expect(lines).toEqual([`warning: ${result.meta.warnings![0]}`]);
    expect(JSON.parse(readFileSync(out, 'utf8')).meta.warnings).toEqual(result.meta.warnings);
  });
});

describe('an ERT missing a data action or a table: the built-in estimate', () => {
  const base = evaluate(loadSpecFiles(BASE_FILES.map((f) => join(BASE, f))));

  test('weights_spad without read: its reads cost the built-in SRAM estimate, with a warning', () => {
    const r = evaluate(loadSpecFiles(withFile('ERT.yaml', 'ERT-no-weights-read.yaml')));
    const w = r.storage.weights_spad;
    expect(w.specs.vectorReadEnergy).toBeCloseTo(sram16(224), 12);
    expect(w.specs.vectorWriteEnergy).toBe(base.storage.weights_spad.specs.vectorWriteEnergy);
    expect(r.meta.warnings?.some((m) => m.startsWith('weights_spad:') && m.includes('random_read') && m.includes('built-in'))).toBe(true);
  });

  test('MACs without mac_random: a compute costs (word bits / 16)^2 pJ', () => {
    const r = evaluate(loadSpecFiles(withFile('ERT.yaml', 'ERT-no-mac-random.yaml')));
    expect(base.arithmetic.specs.computeEnergy).not.toBe(1);
    expect(r.arithmetic.specs.computeEnergy).toBe(1);
  });

  test('psum_spad without a table: data actions cost the built-in estimate, the others 0 pJ', () => {
    const r = evaluate(loadSpecFiles(withFile('ERT.yaml', 'ERT-no-psum-table.yaml')));
    const p = r.storage.psum_spad;
    expect(p.specs.vectorReadEnergy).toBeCloseTo(sram16(24), 12);
    expect(p.specs.vectorWriteEnergy).toBeCloseTo(sram16(24), 12);
    expect(r.meta.warnings?.some((m) => m.startsWith('psum_spad: the ERT has no table'))).toBe(true);
  });

  test('MACs without an area table: area 0', () => {
    const r = evaluate(loadSpecFiles(withFile('ART.yaml', 'ART-no-macs.yaml')));
    expect(base.arithmetic.stats.area).toBeGreaterThan(0);
    expect(r.arithmetic.stats.area).toBe(0);
  });
});
