/** Engine-side bad input: tiles that overflow a buffer; ERT tables missing a needed action (priced, with a warning). */
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { SparsegaugeError } from '../engine/errors.ts';
import { loadCaseSpec } from './engine-fixture.ts';

function caught(f: () => unknown): SparsegaugeError {
  try {
    f();
  } catch (e) {
    if (e instanceof SparsegaugeError) return e;
    throw e;
  }
  throw new Error('expected a SparsegaugeError');
}

describe('engine errors', () => {
  test('a tile larger than the buffer is a capacity error naming the level', async () => {
    const spec = await loadCaseSpec('dense_outputs/alexnet_conv1');
    const glb = spec.architecture.storage.find((s) => s.name === 'shared_glb')!;
    glb.size = 40000; // Inputs 8085 + Outputs 37632 no longer fit
    const e = caught(() => evaluate(spec));
    expect(e.kind).toBe('capacity');
    expect(e.field).toContain('shared_glb');
    expect(e.message).toContain('45717');
    expect(e.file).toBeTruthy();
  });
  test('an ERT without a data action the model needs: the built-in estimate, with a warning naming component and action', async () => {
    const spec = await loadCaseSpec('dense_outputs/alexnet_conv1');
    const actions = spec.ert.components.psum_spad.actions;
    delete actions.read;
    const r = evaluate(spec);
    expect(r.meta.warnings?.some((w) => w.startsWith('psum_spad:') && w.includes('random_read') && w.includes('built-in'))).toBe(true);
  });
  test('an ERT without a component table: the built-in estimate, with a warning', async () => {
    const spec = await loadCaseSpec('dense_outputs/alexnet_conv1');
    delete spec.ert.components.MACs;
    const r = evaluate(spec);
    expect(r.arithmetic.specs.computeEnergy).toBe(1);
    expect(r.meta.warnings?.some((w) => w.startsWith('MACs: the ERT has no table'))).toBe(true);
  });
});
