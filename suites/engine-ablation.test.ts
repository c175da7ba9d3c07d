/**
 * Dense-side ablations (EvaluateOptions.disabledFixes): each naive model must move at least one
 * field it governs, and the full model must keep the reference value.
 */
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import type { FixId } from '../engine/options.ts';
import type { Result } from '../engine/result/schema.ts';
import { loadCaseSpec } from './engine-fixture.ts';

interface Guard {
  fix: FixId;
  reference: string;
  field: (r: Result) => number;
  golden: number;
}

const guards: Guard[] = [
  { fix: 'output-temporal-reuse', reference: 'dense_outputs/alexnet_conv1', field: (r) => r.storage.DRAM.tensors.Outputs.reads.actual, golden: 0 },
  { fix: 'halo-fill-reuse', reference: 'dense_outputs/alexnet_conv1', field: (r) => r.storage.ifmap_spad.tensors.Inputs.fills.actual, golden: 66528 },
  { fix: 'bandwidth-throttling', reference: 'ref_outputs/alexnet_conv3', field: (r) => r.summary.cycles, golden: 1916929 },
  { fix: 'bypass-temporal-reuse', reference: 'dense_outputs/alexnet_conv4', field: (r) => r.storage.DRAM.tensors.Weights.reads.actual, golden: 663552 },
  { fix: 'bypass-temporal-reuse', reference: 'ref_outputs/alexnet_conv5', field: (r) => r.storage.DRAM.tensors.Weights.reads.actual, golden: 442368 },
];

describe.each(guards)('fix $fix on $reference', ({ fix, reference, field, golden }) => {
  test('on: matches the reference', async () => {
    expect(field(evaluate(await loadCaseSpec(reference)))).toBe(golden);
  });
  test('off: the naive model moves the governed field', async () => {
    expect(field(evaluate(await loadCaseSpec(reference), { disabledFixes: [fix] }))).not.toBe(golden);
  });
});
