/** Engine-side bad input: tiles that overflow a buffer, ERT tables missing a needed action. */
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
  test('an ERT without an action the model needs names component and action', async () => {
    const spec = await loadCaseSpec('dense_outputs/alexnet_conv1');
    const actions = spec.ert.components.psum_spad.actions;
    delete actions.read;
    const e = caught(() => evaluate(spec));
    expect(e.kind).toBe('energy-table');
    expect(e.field).toContain('psum_spad');
    expect(e.field).toContain('random_read');
  });
  test('an ERT without a component table is an energy-table error', async () => {
    const spec = await loadCaseSpec('dense_outputs/alexnet_conv1');
    delete spec.ert.components.MACs;
    const e = caught(() => evaluate(spec));
    expect(e.kind).toBe('energy-table');
    expect(e.field).toContain('MACs');
  });
});
