/**
 * Level models against docs/level-models.md: ERT energies with block size, address generations,
 * networks (hops, spatial reductions), cycles and throttling, summary, and the stats layout.
 */
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { numHops } from '../engine/model/network.ts';
import type { Result } from '../engine/result/schema.ts';
import { loadCaseSpec } from './engine-fixture.ts';

const run = async (ref: string): Promise<Result> => evaluate(await loadCaseSpec(ref));
const close = (actual: number, expected: number, rel = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(Math.abs(expected) * rel);

describe('energy (docs/level-models.md §3)', () => {
  test('conv1 dense per-tensor energies', async () => {
    const r = await run('dense_outputs/alexnet_conv1');
    close(r.storage.DRAM.tensors.Weights.energyTotal, 142737408);
    close(r.storage.shared_glb.tensors.Inputs.energyTotal, 70184877.29, 1e-10 * 1e3);
    close(r.storage.psum_spad.tensors.Outputs.energyTotal, 227721022.34, 1e-10 * 1e3);
    close(r.storage.weights_spad.tensors.Weights.energyPerInstance, 2072976.49, 1e-8);
    close(r.arithmetic.stats.energy, 9.61846283059199929e8, 1e-12);
    close(r.summary.energy, 2137.49, 5e-6);
    expect(r.storage.weights_spad.specs.vectorAccessEnergy).toBeCloseTo(1.13063, 10);
  });
  test('address generations', async () => {
    const r = await run('dense_outputs/alexnet_conv1');
    expect(r.storage.psum_spad.tensors.Outputs.addressGenerations).toBe(3096576);
    expect(r.storage.weights_spad.tensors.Weights.addressGenerations).toBe(2889216);
    expect(r.storage.shared_glb.tensors.Inputs.addressGenerations).toBe(5898816);
    expect(r.storage.shared_glb.tensors.Outputs.addressGenerations).toBe(4816896);
  });
});

describe('networks (docs/level-models.md §1)', () => {
  test.each([
    [7, 14, 9.53],
    [2, 14, 4.31],
    [1, 14, 1.87],
    [11, 11, 10.5],
    [4, 12, 6.43],
    [3, 12, 5.37],
    [1, 1, 0.5],
  ])('hops h(%i, %i) = %f', (m, f, h) => expect(numHops(m, f)).toBeCloseTo(h, 2));
  test('conv1: names sorted, spatial reductions, DRAM read-modify-write ingresses', async () => {
    const r = await run('dense_outputs/alexnet_conv1');
    expect(Object.keys(r.networks)).toEqual([
      'DRAM <==> shared_glb',
      'DummyBuffer <==> ifmap_spad',
      'ifmap_spad <==> weights_spad',
      'psum_spad <==> MACs',
      'shared_glb <==> DummyBuffer',
      'weights_spad <==> psum_spad',
    ]);
    const dummy = r.networks['DummyBuffer <==> ifmap_spad'].tensors;
    expect(dummy.Outputs.spatialReductions).toBe(2580480);
    expect(dummy.Weights.ingressHistogram).toEqual([{ multicast: 1, scatter: 11, accesses: 557568 }]);
    expect(r.networks['DRAM <==> shared_glb'].tensors.Outputs.ingresses).toBe(1204224);
    expect(r.networks['ifmap_spad <==> weights_spad'].specs.wordBits).toBe(17);
    close(r.networks['shared_glb <==> DummyBuffer'].tensors.Weights.averageHops, numHops(7, 14));
  });
});

describe('cycles and throttling (docs/level-models.md §4, docs/sparse.md §7)', () => {
  test('dense conv3 is compute bound at 3833856 cycles', async () => {
    const r = await run('dense_outputs/alexnet_conv3');
    expect(r.summary.cycles).toBe(3833856);
    expect(r.storage.shared_glb.stats.bandwidthThrottling).toBe(1);
  });
  test.each([
    [3, 1916929],
    [4, 1437697],
    [5, 958464],
  ])('sparse conv%i total cycles %i (⌈C/slowdown⌉ in double)', async (layer, cycles) => {
    const r = await run(`ref_outputs/alexnet_conv${layer}`);
    expect(r.summary.cycles).toBe(cycles);
  });
  test('sparse conv3: weights_spad throttles to 0.55, DummyBuffer runs at compute cycles', async () => {
    const r = await run('ref_outputs/alexnet_conv3');
    expect(r.storage.weights_spad.stats.bandwidthThrottling).toBeCloseTo(0.5500003130008012, 15);
    expect(r.storage.DummyBuffer.stats.cycles).toBe(1054311);
    expect(r.storage.shared_glb.stats.cycles).toBe(1246752);
  });
});

describe('summary and layout (docs/level-models.md §5)', () => {
  test('dense layout prints only the older fields', async () => {
    const r = await run('dense_outputs/alexnet_conv1');
    expect(r.meta.statsFormat).toBe('timeloop-dense');
    const t = r.storage.DRAM.tensors.Inputs;
    expect(t.reads).toEqual({ actual: 776160 });
    expect(t.dataTileShape).toBeUndefined();
    expect(r.arithmetic.stats.algorithmicComputes).toBeUndefined();
    expect(r.storage.DummyBuffer.tensors).toEqual({});
    expect(r.summary.utilization).toBeCloseTo(0.92, 2);
    expect(r.operationalIntensity!.totalMemoryAccessesRequired).toBe(1879404);
    expect(r.operationalIntensity!.levels.psum_spad.totalScalarAccesses).toBe(982646784);
    expect(r.operationalIntensity!.levels.DummyBuffer).toEqual({});
    expect(r.summary.area).toBeCloseTo(1.55, 2);
  });
  test('sparse layout fills every field', async () => {
    const r = await run('ref_outputs/alexnet_conv1');
    expect(r.meta.statsFormat).toBe('sparseloop');
    const t = r.storage.DRAM.tensors.Outputs;
    expect(t.updates.algorithmic).toBe(1204224);
    expect(t.dataTileShape).toBe(1204224);
    expect(r.arithmetic.stats.algorithmicComputes).toBe(437133312);
    expect(r.summary.pJPerAlgorithmicCompute?.Total).toBeGreaterThan(0);
    expect(r.operationalIntensity!.totalMemoryAccessesRequired).toBe(1130377);
    expect(r.operationalIntensity!.totalReductionOps).toBe(436678115);
  });
  test('evaluation is pure: two runs give identical results', async () => {
    const spec = await loadCaseSpec('ref_outputs/alexnet_conv2');
    expect(JSON.stringify(evaluate(spec))).toBe(JSON.stringify(evaluate(spec)));
  });
});
