import { describe, expect, test } from 'vitest';
import { fixedStructured } from '../engine/sparse/density/fixed-structured.ts';
import { expectedTensorOccupancy, formatCapacity, type FormatLayout } from '../engine/sparse/format/occupancy.ts';
import { formatAccesses } from '../engine/sparse/format/accesses.ts';
import { assignLoopsToRanks, fiberShape, type RankLoop } from '../engine/sparse/format/ranks.ts';
import { resolveWordBits } from '../engine/sparse/format/word-bits.ts';
import { SparsegaugeError } from '../engine/errors.ts';

/** DRAM tile = whole tensor; UOP (rank 1) over DRAM loops, RLE (rank 0) over the pre-tiled glb tile. */
function dramLayout(uopFiber: number, rleFiber: number, tensor: number): FormatLayout {
  return { formats: ['RLE', 'UOP'], fiberShapes: [rleFiber, uopFiber], subtileSizes: [1, rleFiber, tensor] };
}

// docs/sparse.md §2.4: tensor, S, d, UOP F, RLE F, X (reads or updates), capacity, E[RLE md], accesses
const table: [string, number, number, number, number, number, [number, number], number, [number, number]][] = [
  ['conv1 O', 1204224, 0.378, 32, 37632, 1204224, [33, 455197], 455196.672, [33, 455197]],
  ['conv2 I', 196608, 0.6, 48, 4608, 1769472, [49, 132711], 132710.4, [441, 1194394]],
  ['conv2 O', 802816, 0.169, 32, 25088, 802816, [33, 135676], 135675.904, [33, 135676]],
  ['conv3 I', 230400, 0.275, 64, 3600, 1382400, [65, 63361], 63360.000000000015, [390, 380161]],
  ['conv3 O', 259584, 0.303, 6, 43264, 259584, [7, 78654], 78653.952, [7, 78654]],
  ['conv4 I', 172800, 0.207, 48, 3600, 1036800, [49, 35770], 35769.6, [294, 214618]],
  ['conv4 O', 259584, 0.304, 6, 43264, 259584, [7, 78914], 78913.536, [7, 78914]],
  ['conv5 I', 172800, 0.23, 48, 3600, 691200, [49, 39744], 39743.99999999999, [196, 158976]],
  ['conv5 O', 173056, 0.1, 4, 43264, 173056, [5, 17306], 17305.6, [5, 17306]],
];

describe('UOP + RLE at DRAM: every row of the §2.4 table', () => {
  test.each(table)('%s', (_name, S, d, uop, rle, X, capacity, expectedMd, accesses) => {
    const layout = dramLayout(uop, rle, S);
    const density = fixedStructured(d);
    const cap = formatCapacity(layout, density, S);
    expect([cap[1].payload, cap[0].metadata]).toEqual(capacity);
    expect(cap[1].metadata).toBe(0);
    expect(cap[0].payload).toBe(0); // innermost non-empty rank: payload is the data
    const occ = expectedTensorOccupancy(layout, density, S);
    expect(occ.expectedRanks[0].metadata).toBeCloseTo(expectedMd, 6);
    const acc = formatAccesses(occ.expectedRanks, { reads: X, fills: 0, updates: X }, S);
    expect([acc.reads[1].payload, acc.reads[0].metadata]).toEqual(accesses);
    expect(acc.fills[0]).toEqual({ metadata: 0, payload: 0 });
  });
  test('conv3 I: E[RLE md] is exactly the double that ceils 6× to 380161', () => {
    const occ = expectedTensorOccupancy(dramLayout(64, 3600, 230400), fixedStructured(0.275), 230400);
    expect(occ.expectedRanks[0].metadata * (1382400 / 230400)).toBeGreaterThan(380160);
  });
});

describe('[oracle run] other formats on conv3 DRAM Inputs', () => {
  const S = 230400;
  const density = fixedStructured(0.275);
  const reads = 1382400;
  test('B rank 0: metadata 64·3600 bits, 1382400 format reads', () => {
    const layout: FormatLayout = { formats: ['B', 'UOP'], fiberShapes: [3600, 64], subtileSizes: [1, 3600, S] };
    expect(formatCapacity(layout, density, S)[0].metadata).toBe(230400);
    const occ = expectedTensorOccupancy(layout, density, S);
    expect(formatAccesses(occ.expectedRanks, { reads, fills: 0, updates: 0 }, S).reads[0].metadata).toBe(1382400);
  });
  test('CP rank 0: ⌈990.0000000000001⌉ = 991 per fiber, capacity 63424, reads 380544', () => {
    const layout: FormatLayout = { formats: ['CP', 'UOP'], fiberShapes: [3600, 64], subtileSizes: [1, 3600, S] };
    expect(formatCapacity(layout, density, S)[0].metadata).toBe(63424);
    const occ = expectedTensorOccupancy(layout, density, S);
    expect(formatAccesses(occ.expectedRanks, { reads, fills: 0, updates: 0 }, S).reads[0].metadata).toBe(380544);
  });
  test('UB,UB (uncompressed, one fiber spans the tensor): rank 1 metadata 230400, rank 0 empty', () => {
    const layout: FormatLayout = { formats: ['UB', 'UB'], fiberShapes: [1, S], subtileSizes: [1, 1, S] };
    const cap = formatCapacity(layout, density, S);
    expect(cap[1]).toEqual({ metadata: 230400, payload: 0 });
    expect(cap[0]).toEqual({ metadata: 0, payload: 0 });
    const occ = expectedTensorOccupancy(layout, density, S);
    expect(formatAccesses(occ.expectedRanks, { reads, fills: 0, updates: 0 }, S).reads[1].metadata).toBe(1382400);
  });
});

describe('loop → rank assignment (§2.1)', () => {
  const all = [['R', 'S', 'P', 'C', 'M', 'N', 'Q']];
  // conv3 DRAM Inputs above a pre-tiled glb rank: DRAM loop C64 (unit loops around it)
  const tile = (c: number) => 3600 * c;
  const loops: RankLoop[] = [
    { dimension: 'N', end: 1, tileSize: tile(1) },
    { dimension: 'C', end: 64, tileSize: tile(64) },
    { dimension: 'P', end: 1, tileSize: tile(64) },
  ];
  test('UOP rank takes C64 over a pre-tiled rank 0', () => {
    const a = assignLoopsToRanks({ loops, rankCount: 2, innerRankId: 1, flattening: [all, all], hasMetadata: true, where: { level: 'DRAM', dataSpace: 'Inputs' } });
    expect(a.rankLoops[1].map((l) => `${l.dimension}${l.end}`)).toEqual(['C64']);
    expect(a.rankTileSize[1]).toBe(230400);
    expect(fiberShape(a.rankLoops[1], (e) => e.C ?? 1)).toBe(64);
  });
  test('a dimension missing from the flattening list leaves the rank empty', () => {
    const a = assignLoopsToRanks({
      loops: [{ dimension: 'Q', end: 2, tileSize: 2 }, { dimension: 'C', end: 12, tileSize: 24 }],
      rankCount: 2, innerRankId: 0, flattening: [[['C', 'Q']], [['Q']]], hasMetadata: true, where: { level: 'DRAM', dataSpace: 'Inputs' },
    });
    expect(a.rankLoops[1]).toEqual([]);
    expect(a.rankLoops[0].map((l) => `${l.dimension}${l.end}`)).toEqual(['Q2', 'C12']);
  });
  test('leftover non-unit loops: more ranks needed is an unsupported error', () => {
    expect(() =>
      assignLoopsToRanks({
        loops: [{ dimension: 'Q', end: 2, tileSize: 2 }, { dimension: 'C', end: 12, tileSize: 24 }],
        rankCount: 1, innerRankId: 0, flattening: [[['C']]], hasMetadata: true, where: { level: 'DRAM', dataSpace: 'Inputs' },
      }),
    ).toThrow(SparsegaugeError);
  });
  test('flattened dims are absorbed together: Q2 N2 C12 → one rank', () => {
    const a = assignLoopsToRanks({
      loops: [{ dimension: 'Q', end: 2, tileSize: 1 }, { dimension: 'N', end: 2, tileSize: 1 }, { dimension: 'M', end: 1, tileSize: 1 }, { dimension: 'C', end: 12, tileSize: 1 }],
      rankCount: 1, innerRankId: 0, flattening: [all], hasMetadata: true, where: { level: 'DRAM', dataSpace: 'Inputs' },
    });
    expect(a.rankLoops[0].map((l) => l.dimension)).toEqual(['Q', 'N', 'C']);
  });
});

describe('word bits', () => {
  test('absent → level metadata bits; non-divisor bumped; too wide is an error', () => {
    expect(resolveWordBits(null, 5, 5, 'f')).toBe(5);
    expect(resolveWordBits(3, 5, 8, 'f')).toBe(4);
    expect(() => resolveWordBits(9, 5, 8, 'f')).toThrow(SparsegaugeError);
  });
});
