/**
 * `no_link_transfer` of a spatial directive (Timeloop's mapping parser): the data spaces listed
 * may not move between neighbouring instances of that level's fanout, so every child reads them
 * from the level above. The case is the oracle's fz_link_1word_M (Inputs move over the links of
 * DummyBuffer's 4-wide fanout), with and without the directive.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { isSparsegaugeError } from '../engine/errors.ts';
import { loadSpecFiles } from '../engine/input/load.ts';

const GOLDEN = resolve(import.meta.dirname, '..', 'golden');
const ARCH = ['arch.yaml', 'components.yaml', 'ERT.yaml', 'ART.yaml'].map((f) => join(GOLDEN, 'table7', 'spec', f));
const CASE = join(GOLDEN, 'oracle', 'spec', 'fz_link_1word_M.yaml');
const SPATIAL = 'permutation: CMRSNPQ, split: 0 }';

function withDirective(list: string): string[] {
  const text = readFileSync(CASE, 'utf8');
  if (!text.includes(SPATIAL)) throw new Error('test setup: spatial directive not found');
  const file = join(mkdtempSync(join(tmpdir(), 'sg-nlt-')), 'case.yaml');
  writeFileSync(file, text.replace(SPATIAL, `permutation: CMRSNPQ, split: 0, no_link_transfer: ${list} }`));
  return [...ARCH, file];
}

describe('no_link_transfer', () => {
  const base = evaluate(loadSpecFiles([...ARCH, CASE]));
  const link = 'DummyBuffer <==> ifmap_spad';

  test('the listed data space uses no links: its children all read from the level above', () => {
    const r = evaluate(loadSpecFiles(withDirective('[Inputs]')));
    expect(base.networks[link].tensors.Inputs.linkTransfers).toBe(2240);
    expect(r.networks[link].tensors.Inputs.linkTransfers).toBe(0);
    // Without links every ifmap_spad fill comes through the network from shared_glb.
    const fills = r.storage.ifmap_spad.tensors.Inputs.fills.actual;
    expect(r.storage.shared_glb.tensors.Inputs.reads.actual).toBe(fills);
    expect(base.storage.shared_glb.tensors.Inputs.reads.actual).toBeLessThan(fills);
    expect(r.summary.energy).toBeGreaterThan(base.summary.energy);
  });

  test('listing only data spaces that use no links changes nothing', () => {
    const r = evaluate(loadSpecFiles(withDirective('[Weights, Outputs]')));
    expect({ ...r, meta: undefined }).toEqual({ ...base, meta: undefined });
    const empty = evaluate(loadSpecFiles(withDirective('[]')));
    expect({ ...empty, meta: undefined }).toEqual({ ...base, meta: undefined });
  });

  test('an unknown data space is a positioned reference error', () => {
    try {
      loadSpecFiles(withDirective('[Input]'));
      expect.unreachable();
    } catch (e) {
      if (!isSparsegaugeError(e)) throw e;
      expect(e.kind).toBe('reference');
      expect(e.field).toMatch(/no_link_transfer\[0\]$/);
      expect(e.position?.line).toBeGreaterThan(0);
      expect(e.message).toContain("unknown data space 'Input'");
    }
  });
});
