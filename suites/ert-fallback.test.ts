/**
 * An ERT that lacks a non-data action the counts need (metadata, gated, skipped,
 * (de)compression) after the whole fallback chain: Timeloop charges 0 pJ; we do the same but say
 * so in `meta.warnings` and on stderr. A missing data action stays an error (bad-inputs corpus:
 * ert-missing-read, ert-missing-mac).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { loadSpecFiles } from '../engine/spec/load.ts';
import { BASE, BASE_FILES } from './bad-input-corpus.ts';

const REPO_ROOT = resolve(import.meta.dirname, '..');
// The compact Eyeriss of bad-inputs/_base (compressed Outputs at DRAM) with an ERT whose DRAM
// table has neither metadata_write nor idle: the chain of random_metadata_update ends with nothing.
const files = BASE_FILES.map((f) => (f === 'ERT.yaml' ? join(import.meta.dirname, 'ert-fallback', 'ERT-no-metadata-write.yaml') : join(BASE, f)));

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
