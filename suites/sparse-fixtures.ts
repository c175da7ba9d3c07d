/** Toy Eyeriss-like inputs for the sparse-analysis suites (not a test file). */
import type { DenseCounts, NestLoop } from '../engine/analysis/types.ts';
import type { DataSpace, RankFormatName, Spec, StorageLevelSpec } from '../engine/input/types.ts';

const ds = (name: string, ranks: string[][], readWrite = false): DataSpace => ({
  name,
  readWrite,
  projection: ranks.map((r) => r.map((d) => ({ dimension: d, coefficient: 1 }))),
});
const dataSpaces = [ds('Weights', [['M'], ['C'], ['R']]), ds('Inputs', [['C'], ['P', 'R']]), ds('Outputs', [['M'], ['P']], true)];
const dims = ['M', 'C', 'P', 'R'];
const names = ['psum_spad', 'weights_spad', 'shared_glb', 'DRAM'];
const keeps = [['Outputs'], ['Weights'], ['Inputs', 'Outputs'], ['Weights', 'Inputs', 'Outputs']];
const links: Record<string, [number | null, number | null][]> = {
  Weights: [[null, null], [3, null], [null, null], [null, 1]],
  Inputs: [[null, null], [null, null], [3, null], [null, 2]],
  Outputs: [[2, null], [null, null], [3, 0], [null, 2]],
};

/** An Eyeriss-like skeleton with arbitrary algorithmic counts per level and tensor. */
export function denseCounts(counts: number[]): DenseCounts {
  const loop = (level: number, dimension: string, end: number, kind: NestLoop['kind'] = 'temporal'): NestLoop => ({ dimension, start: 0, end, kind, level });
  const perLevel: NestLoop[][] = [
    [loop(0, 'M', 4), loop(0, 'C', 1), loop(0, 'P', 1), loop(0, 'R', 1)],
    [loop(1, 'R', 3), loop(1, 'M', 1), loop(1, 'C', 1), loop(1, 'P', 1)],
    [loop(2, 'M', 2, 'spatial-x'), loop(2, 'C', 8), loop(2, 'P', 5), loop(2, 'M', 1), loop(2, 'R', 1)],
    [loop(3, 'M', 3), loop(3, 'C', 2), loop(3, 'P', 1), loop(3, 'R', 1)],
  ];
  let i = 0;
  return {
    completeNest: perLevel.flat(),
    nest: perLevel.flat().filter((l) => l.end > 1),
    compute: { computesPerInstance: 360, algorithmicComputes: 720, utilizedInstances: 2, maxXExpansion: 2, maxYExpansion: 1 },
    levels: perLevel.map((completeLoops, index) => ({
      name: names[index],
      index,
      completeLoops,
      loops: completeLoops.filter((l) => l.end > 1),
      replication: index < 2 ? 2 : 1,
      tensors: Object.fromEntries(
        dataSpaces.map((d) => {
          const kept = keeps[index].includes(d.name);
          const c = kept ? counts[i++ % counts.length] : 0;
          return [
            d.name,
            {
              dataSpace: d.name,
              readWrite: d.readWrite,
              kept,
              tileSize: kept ? 12 * (index + 1) : 0,
              reads: c,
              fills: Math.floor(c / 3),
              updates: d.readWrite ? c + 5 : 0,
              temporalReductions: d.readWrite ? c : 0,
              parentLevel: links[d.name][index][0],
              childLevel: links[d.name][index][1],
            },
          ];
        }),
      ),
    })),
  } as unknown as DenseCounts;
}

export function toySpec(density: number, formats: RankFormatName[][], safKind: 'gating' | 'skipping', computeSaf: 'gating' | 'skipping' | null): Spec {
  const storage = names.map(
    (name) => ({ name, blockSize: name === 'DRAM' || name === 'shared_glb' ? 4 : 1, wordBits: 16, metadataWordBits: 5, metadataStorageWidth: 20, decompressionSupported: true, compressionSupported: true }) as StorageLevelSpec,
  );
  return {
    architecture: { storage, arithmetic: { name: 'MACs', instances: 2, meshX: 2, meshY: 1, wordBits: 16 } },
    problem: {
      name: 'toy',
      dimensions: dims,
      bounds: { M: 24, C: 16, P: 5, R: 3 },
      coefficients: {},
      dataSpaces,
      densities: Object.fromEntries(dataSpaces.map((d) => [d.name, { distribution: 'fixed-structured', density }])),
    },
    mapping: { levels: [] },
    sparseOptimizations: {
      targets: [
        {
          name: 'DRAM',
          representationFormat: dataSpaces.map((d, i) => ({
            dataSpace: d.name,
            ranks: formats[i].map((format) => ({ format, flattenedRankIds: [dims], payloadWordBits: null, metadataWordBits: null })),
          })),
          actionOptimization: [],
          computeOptimization: [],
        },
        { name: 'weights_spad', representationFormat: [], actionOptimization: [{ type: safKind, options: [{ target: 'Weights', conditionOn: ['Inputs'] }] }], computeOptimization: [] },
        { name: 'MACs', representationFormat: [], actionOptimization: [], computeOptimization: computeSaf ? [{ type: computeSaf }] : [] },
      ],
    },
    ert: { components: {} },
    art: { components: {} },
    origin: { files: {} },
  } as Spec;
}

