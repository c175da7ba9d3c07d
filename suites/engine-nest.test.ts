/**
 * Nest analysis against the worked checks of docs/nest-analysis.md (tiles, partition sizes, temporal
 * deltas with reset-on-stride-change, sliding-window reuse, multicast/scatter, bypass masking).
 */
import { describe, expect, test } from 'vitest';
import { analyseNest } from '../engine/analysis/index.ts';
import { buildNest } from '../engine/mapping/nest.ts';
import type { DenseCounts } from '../engine/analysis/types.ts';
import { loadCaseSpec } from './engine-fixture.ts';

const dense = async (layer: number): Promise<DenseCounts> => analyseNest(await loadCaseSpec(`dense_outputs/alexnet_conv${layer}`));
const tensor = (d: DenseCounts, level: string, ds: string) => {
  const l = d.levels.find((x) => x.name === level);
  if (!l) throw new Error(`no level ${level}`);
  return l.tensors[ds];
};

describe('loop nest', () => {
  test('conv1: spatial loops sit inside their level, placeholders for empty temporal levels', async () => {
    const spec = await loadCaseSpec('dense_outputs/alexnet_conv1');
    const nest = buildNest(spec);
    const show = nest.loops.map((l) => `${l.dimension}${l.end}${l.kind === 'temporal' ? '' : l.kind === 'spatial-x' ? 'x' : 'y'}`);
    expect(show).toEqual(['M16', 'R11', 'Q1', 'S11y', 'Q1', 'Q7x', 'M2x', 'P56', 'M3', 'C3', 'N4', 'Q8']);
    expect(nest.boundaries).toEqual([0, 1, 2, 4, 8, 11]);
  });
});

describe('tiles and partition sizes (docs/nest-analysis.md §2–3)', () => {
  test.each([
    [1, 'shared_glb', 'Inputs', 8085, 640332],
    [1, 'shared_glb', 'Outputs', 37632, 1204224],
    [1, 'weights_spad', 'Weights', 176, 1584],
    [1, 'ifmap_spad', 'Inputs', 11, 18295],
    [1, 'psum_spad', 'Outputs', 16, 86016],
    [2, 'shared_glb', 'Inputs', 4608, 196608],
    [3, 'shared_glb', 'Inputs', 3600, 230400],
    [3, 'psum_spad', 'Outputs', 16, 4992],
  ])('conv%i %s %s: tile %i, partition %i', async (layer, level, ds, tile, partition) => {
    const t = tensor(await dense(layer), level, ds);
    expect(t.tileSize).toBe(tile);
    expect(t.partitionSize).toBe(partition);
  });
});

describe('temporal deltas (docs/nest-analysis.md §4)', () => {
  test.each([
    [1, 776160],
    [2, 1769472],
    [3, 1382400],
    [4, 1036800],
    [5, 691200],
  ])('conv%i DRAM Inputs reads reset at every DRAM step: %i', async (layer, reads) => {
    const d = await dense(layer);
    expect(tensor(d, 'DRAM', 'Inputs').reads).toBe(reads);
    expect(tensor(d, 'shared_glb', 'Inputs').fills).toBe(reads);
  });
  test('sliding window along P is reused: conv1 ifmap_spad fills 66528', async () => {
    expect(tensor(await dense(1), 'ifmap_spad', 'Inputs').fills).toBe(66528);
  });
  test('resident weights across P: weights_spad fills conv1 50688, conv3 73728', async () => {
    expect(tensor(await dense(1), 'weights_spad', 'Weights').fills).toBe(50688);
    expect(tensor(await dense(3), 'weights_spad', 'Weights').fills).toBe(73728);
  });
  test('Q innermost at DRAM slides the window: DRAM Inputs reads equal the tensor (oracle run)', async () => {
    const spec = await loadCaseSpec('dense_outputs/alexnet_conv1');
    const dram = spec.mapping.levels[spec.mapping.levels.length - 1];
    const order = ['Q', 'C', 'N']; // innermost first: loops N4 C3 Q8 outer→inner
    dram.temporal = [...dram.temporal].sort((a, b) => {
      const ia = order.indexOf(a.dimension);
      const ib = order.indexOf(b.dimension);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    });
    expect(tensor(analyseNest(spec), 'DRAM', 'Inputs').reads).toBe(640332);
  });
});

describe('reads, fills, updates (docs/nest-analysis.md §6)', () => {
  test('conv1 psum_spad Outputs: first-read elision', async () => {
    const t = tensor(await dense(1), 'psum_spad', 'Outputs');
    expect([t.reads, t.updates, t.fills, t.temporalReductions]).toEqual([2752512, 2838528, 258048, 2752512]);
  });
  test('conv1 shared_glb and DRAM Outputs', async () => {
    const d = await dense(1);
    const g = tensor(d, 'shared_glb', 'Outputs');
    expect([g.reads, g.fills, g.updates]).toEqual([2408448, 1204224, 3612672]);
    const o = tensor(d, 'DRAM', 'Outputs');
    expect([o.reads, o.fills, o.updates]).toEqual([0, 0, 1204224]);
  });
  test('conv3 shared_glb Outputs', async () => {
    const g = tensor(await dense(3), 'shared_glb', 'Outputs');
    expect([g.reads, g.fills, g.updates]).toEqual([16353792, 259584, 16613376]);
  });
  test('bypass rescaling: conv1 ifmap_spad Inputs reads = MACs per PE, DRAM Weights reads', async () => {
    const d = await dense(1);
    expect(tensor(d, 'ifmap_spad', 'Inputs').reads).toBe(2838528);
    expect(tensor(d, 'DRAM', 'Weights').reads).toBe(1115136);
    expect(d.compute.algorithmicComputes).toBe(437133312);
    expect(d.compute.utilizedInstances).toBe(154);
  });
});

describe('spatial multicast and scatter (docs/nest-analysis.md §5)', () => {
  const classes = (t: { accessMatrix: { multicast: number; scatter: number; accesses: number }[] }) =>
    t.accessMatrix.map((c) => [c.multicast, c.scatter, c.accesses]);
  test('conv1 shared_glb → DummyBuffer', async () => {
    const d = await dense(1);
    expect(classes(tensor(d, 'shared_glb', 'Inputs'))).toEqual([[2, 7, 5122656]]);
    expect(classes(tensor(d, 'shared_glb', 'Weights'))).toEqual([[7, 2, 1115136]]);
    expect(classes(tensor(d, 'shared_glb', 'Outputs'))).toEqual([[1, 14, 3612672]]);
  });
  test('conv3 DummyBuffer → ifmap_spad', async () => {
    const d = await dense(3);
    expect(classes(tensor(d, 'DummyBuffer', 'Inputs'))).toEqual([[4, 3, 276480]]);
    expect(classes(tensor(d, 'DummyBuffer', 'Outputs'))).toEqual([[3, 4, 1277952]]);
  });
});
