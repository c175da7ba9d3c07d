/**
 * Timeloop's defaults where an architecture is silent, and how several spec files merge: each rule
 * on a small synthetic spec (a 1-D convolution on a buffer hierarchy), checked on the parsed
 * architecture or the evaluated result.
 */
import { describe, expect, test } from 'vitest';
import { evaluate } from '../engine/index.ts';
import { specFromSources } from '../engine/input/load.ts';
import { parseSource } from '../engine/input/source.ts';
import type { Spec } from '../engine/input/types.ts';
import { SparsegaugeError } from '../engine/errors.ts';

const PROBLEM = `
problem:
  shape:
    name: conv1d
    dimensions: [R, P]
    data-spaces:
    - name: Weights
      projection: [[[R]]]
    - name: Inputs
      projection: [[[R], [P]]]
    - name: Outputs
      projection: [[[P]]]
      read-write: true
  instance: {R: 3, P: 16}
`;

/** Outermost storage first; the MAC is named MAC. */
function arch(body: string): string {
  return `architecture:\n  version: 0.3\n  subtree:\n${body}`;
}

/** DRAM -> Buffer[0..3] (4 instances) -> MAC[0..3]. */
const FOUR_PE = (bufferAttrs = 'depth: 64\n          width: 8\n          datawidth: 8', macAttrs = 'datawidth: 8') =>
  arch(`  - name: System
    local:
    - name: DRAM
      class: DRAM
      attributes:
        width: 64
        datawidth: 8
    subtree:
    - name: PE[0..3]
      local:
      - name: Buffer
        class: regfile
        attributes:
          ${bufferAttrs}
      - name: MAC
        class: intmac
        attributes:
          ${macAttrs}
`);

const MAPPING = (spatial = 'P4') => `
mapping:
- target: Buffer
  type: temporal
  factors: R3 P1
  permutation: RP
- target: DRAM
  type: spatial
  factors: ${spatial}
- target: DRAM
  type: temporal
  factors: R1 P0
  permutation: RP
`;

function tables(kind: 'ERT' | 'ART', names: string[]): string {
  const entry = (n: string): string =>
    kind === 'ERT'
      ? `  - name: ${n}\n    actions:\n    - {name: read, energy: 1}\n    - {name: write, energy: 2}\n    - {name: mac_random, energy: 3}\n`
      : `  - name: ${n}\n    area: 1\n`;
  return `${kind}:\n  version: 0.3\n  tables:\n${names.map(entry).join('')}`;
}

const NAMES = ['System.DRAM', 'System.PE[0..3].Buffer', 'System.PE[0..3].MAC'];

function load(files: Record<string, string>): Spec {
  return specFromSources(Object.entries(files).map(([name, text]) => parseSource(`/virtual/${name}`, text)));
}

function toy(archText: string, extra: Record<string, string> = {}, mapping = MAPPING()): Spec {
  return load({ 'arch.yaml': archText, ...extra, 'problem.yaml': PROBLEM, 'map.yaml': mapping, 'ERT.yaml': tables('ERT', NAMES), 'ART.yaml': tables('ART', NAMES) });
}

function errorOf(f: () => unknown): SparsegaugeError {
  try {
    f();
  } catch (e) {
    if (e instanceof SparsegaugeError) return e;
    throw e;
  }
  throw new Error('expected a SparsegaugeError');
}

const level = (spec: Spec, name: string) => spec.architecture.storage.find((l) => l.name === name)!;

describe('several spec files', () => {
  const compound = (cls: string, attr: string): string =>
    `compound_components:\n  version: 0.3\n  classes:\n  - name: ${cls}\n    attributes:\n      ${attr}: 1\n`;
  test('compound_components in several files: every file declares its classes', () => {
    const archText = FOUR_PE('depth: 64\n          width: 8\n          datawidth: 8\n          my_knob: 3').replace('class: regfile', 'class: regfile\n        subclass: my_rf');
    const spec = toy(archText, { 'a.yaml': compound('other', 'x'), 'b.yaml': compound('my_rf', 'my_knob') });
    expect(level(spec, 'Buffer').attributes.my_knob).toBe(3);
  });
  test('any other key given in two files is an error naming both', () => {
    const e = errorOf(() => toy(FOUR_PE(), { 'again.yaml': PROBLEM }));
    expect(e.kind).toBe('schema');
    expect(e.message).toMatch(/also given in/);
  });
});

describe('instances and mesh', () => {
  test('an `instances` attribute replaces the count of the tree', () => {
    const spec = toy(FOUR_PE('depth: 64\n          width: 8\n          datawidth: 8\n          instances: 2'), {}, MAPPING('P2').replace('- target: Buffer', '- target: Buffer\n  type: spatial\n  factors: P2\n- target: Buffer'));
    expect(level(spec, 'Buffer').instances).toBe(2);
    expect(level(spec, 'Buffer').meshX).toBe(2);
  });
  test('without meshX or meshY the instances lie along X', () => {
    const spec = toy(FOUR_PE());
    expect(level(spec, 'Buffer')).toMatchObject({ instances: 4, meshX: 4, meshY: 1 });
    expect(spec.architecture.arithmetic).toMatchObject({ instances: 4, meshX: 4, meshY: 1 });
  });
  test('meshY alone gives meshX', () => {
    const spec = toy(FOUR_PE('depth: 64\n          width: 8\n          datawidth: 8\n          meshY: 2', 'datawidth: 8\n          meshY: 2'), {}, MAPPING('P2'));
    expect(level(spec, 'Buffer')).toMatchObject({ meshX: 2, meshY: 2 });
  });
});

describe('attribute defaults', () => {
  test('word bits default to 16, for storage and arithmetic', () => {
    const spec = toy(FOUR_PE('depth: 64\n          width: 16', 'meshX: 4'));
    expect(level(spec, 'Buffer').wordBits).toBe(16);
    expect(spec.architecture.arithmetic.wordBits).toBe(16);
  });
  test('subtree attributes are not inherited', () => {
    const archText = FOUR_PE('depth: 64\n          width: 16', 'meshX: 4').replace('    - name: PE[0..3]\n', '    - name: PE[0..3]\n      attributes:\n        datawidth: 8\n        meshX: 2\n');
    const spec = toy(archText);
    expect(level(spec, 'Buffer')).toMatchObject({ wordBits: 16, meshX: 4, meshY: 1 });
  });
  test('width fixes the block size when neither block nor cluster size is given', () => {
    const b = level(toy(FOUR_PE('depth: 64\n          width: 32\n          datawidth: 8')), 'Buffer');
    expect(b).toMatchObject({ blockSize: 4, clusterSize: 1, size: 256 });
  });
  test('width with a block size gives the cluster size', () => {
    const b = level(toy(FOUR_PE('depth: 64\n          width: 32\n          datawidth: 8\n          block_size: 2')), 'Buffer');
    expect(b).toMatchObject({ blockSize: 2, clusterSize: 2, size: 128 });
  });
  test('width with a cluster size gives the block size', () => {
    const b = level(toy(FOUR_PE('depth: 64\n          width: 32\n          datawidth: 8\n          cluster-size: 4')), 'Buffer');
    expect(b).toMatchObject({ blockSize: 1, clusterSize: 4 });
  });
  test('a width that is not a multiple of word bits x block size is refused', () => {
    const e = errorOf(() => toy(FOUR_PE('depth: 64\n          width: 12\n          datawidth: 8')));
    expect(e.kind).toBe('value');
    expect(e.field).toMatch(/width$/);
  });
  test('spellings of one attribute must agree', () => {
    const e = errorOf(() => toy(FOUR_PE('depth: 64\n          width: 8\n          datawidth: 8\n          word-bits: 16')));
    expect(e.kind).toBe('value');
  });
});

describe('DRAM and class names', () => {
  test('a DRAM with a depth is bounded (Timeloop checks its capacity)', () => {
    const spec = toy(FOUR_PE().replace('        width: 64\n', '        width: 64\n        depth: 2\n'));
    expect(level(spec, 'DRAM').size).toBe(16);
    expect(errorOf(() => evaluate(spec)).kind).toBe('capacity');
  });
  test('a DRAM without a depth is unbounded', () => {
    expect(level(toy(FOUR_PE()), 'DRAM').size).toBeNull();
  });
  test('class names match case-sensitively: `dram` is no class Timeloop models', () => {
    const e = errorOf(() => toy(FOUR_PE().replace('class: DRAM', 'class: dram')));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toMatch(/Timeloop would ignore/);
  });
  test('technology DRAM makes any storage class a DRAM', () => {
    const spec = toy(FOUR_PE().replace('class: DRAM\n      attributes:\n', 'class: SRAM\n      attributes:\n        technology: DRAM\n'));
    expect(level(spec, 'DRAM').technology).toBe('DRAM');
  });
  test('a class containing a storage name is storage (smartbuffer_SRAM), one containing mac is arithmetic (lmac)', () => {
    const spec = toy(FOUR_PE().replace('class: regfile', 'class: smartbuffer_SRAM').replace('class: intmac', 'class: lmac'));
    expect(level(spec, 'Buffer').technology).toBe('SRAM');
    expect(spec.architecture.arithmetic.name).toBe('MAC');
  });
  test('the arithmetic component may sit anywhere in its local list', () => {
    const archText = FOUR_PE().replace(
      '      - name: Buffer\n        class: regfile\n        attributes:\n          depth: 64\n          width: 8\n          datawidth: 8\n      - name: MAC\n        class: intmac\n        attributes:\n          datawidth: 8\n',
      '      - name: MAC\n        class: intmac\n        attributes:\n          datawidth: 8\n      - name: Buffer\n        class: regfile\n        attributes:\n          depth: 64\n          width: 8\n          datawidth: 8\n',
    );
    expect(archText).not.toBe(FOUR_PE());
    const spec = toy(archText);
    expect(spec.architecture.storage.map((l) => l.name)).toEqual(['Buffer', 'DRAM']);
    expect(evaluate(spec).arithmetic.stats.actualComputes).toBe(48);
  });
});

describe('mapping', () => {
  test('a split past the last loop puts every spatial loop along X', () => {
    const spec = toy(FOUR_PE(), {}, MAPPING('P4').replace('factors: P4', 'factors: P4\n  permutation: RP\n  split: 7'));
    const dram = spec.mapping.levels[1];
    expect(dram.spatial.x.map((l) => l.dimension)).toEqual(['R', 'P']);
    expect(dram.spatial.y).toEqual([]);
  });
});

describe("Timeloop's built-in energy where the ERT is silent", () => {
  const withoutTable = (name: string, archText = FOUR_PE()): Spec =>
    load({ 'arch.yaml': archText, 'problem.yaml': PROBLEM, 'map.yaml': MAPPING(), 'ERT.yaml': tables('ERT', NAMES.filter((n) => n !== name)), 'ART.yaml': tables('ART', NAMES) });
  test('a DRAM without a table: 200 pJ per 16 bits of its vector', () => {
    const r = evaluate(withoutTable('System.DRAM'));
    expect(r.storage.DRAM.specs.vectorAccessEnergy).toBe((200 * 8 * 8) / 16);
    expect(r.meta.warnings?.some((w) => w.startsWith('DRAM: the ERT has no table'))).toBe(true);
  });
  test('an SRAM level with a table: its vector access energy is the largest entry', () => {
    expect(evaluate(toy(FOUR_PE())).storage.Buffer.specs.vectorAccessEnergy).toBe(3);
  });
  test('a vector-access-energy attribute replaces the estimate', () => {
    const r = evaluate(withoutTable('System.PE[0..3].Buffer', FOUR_PE('depth: 64\n          width: 8\n          datawidth: 8\n          vector-access-energy: 0.5')));
    expect(r.storage.Buffer.specs.vectorAccessEnergy).toBe(0.5);
  });
  test('an unsized SRAM level whose reads the ERT does not price is refused', () => {
    const e = errorOf(() => evaluate(withoutTable('System.PE[0..3].Buffer', FOUR_PE('width: 8\n          datawidth: 8'))));
    expect(e.kind).toBe('unsupported');
    expect(e.message).toMatch(/no size/);
  });
});

describe('Legacy network energy (the network Timeloop infers below each storage level)', () => {
  const dramAttrs = (extra: string): string => FOUR_PE().replace('        width: 64\n        datawidth: 8\n', `        width: 64\n        datawidth: 8\n${extra}`);
  const net = (r: ReturnType<typeof evaluate>) => r.networks['DRAM <==> Buffer'];
  test('without wire, hop or router energy a network costs nothing', () => {
    const r = evaluate(toy(FOUR_PE()));
    expect(Object.values(net(r).tensors).every((t) => t.energyTotal === 0 && t.energyPerHop === 0)).toBe(true);
    expect(net(r).specs.wireEnergy).toBeNull();
  });
  test('wire-energy: per hop word bits x hop distance (square root of the inner tile area, um) x pJ/b/mm', () => {
    const r = evaluate(toy(dramAttrs('        wire-energy: 2\n')));
    // ART: 1 um^2 per Buffer and per MAC, one MAC per Buffer: the tile below DRAM is 2 um^2.
    const perHop = 8 * (Math.sqrt(2) / 1000) * 2;
    expect(net(r).specs.wireEnergy).toBe(2);
    const inputs = net(r).tensors.Inputs;
    expect(inputs.energyPerHop).toBeCloseTo(perHop * 1000, 12);
    expect(inputs.energyPerInstance).toBeCloseTo(inputs.averageHops * inputs.ingresses * perHop, 9);
    expect(inputs.energyPerInstance).toBeGreaterThan(0);
    const levels = r.arithmetic.stats.energy + Object.values(r.storage).reduce((e, l) => e + Object.values(l.tensors).reduce((x, t) => x + t.energyTotal, 0), 0);
    const networks = Object.values(r.networks).reduce((e, n) => e + Object.values(n.tensors).reduce((x, t) => x + t.energyTotal + t.linkTransferEnergyTotal, 0), 0);
    expect(r.summary.energy * 1e6).toBeCloseTo(levels + networks, 6);
  });
  test('a wire table in the ERT sets the wire energy of every network', () => {
    const ert = tables('ERT', NAMES) + '  - name: System.wire\n    actions:\n    - {name: transfer_random, energy: 3}\n';
    const spec = load({ 'arch.yaml': FOUR_PE(), 'problem.yaml': PROBLEM, 'map.yaml': MAPPING(), 'ERT.yaml': ert, 'ART.yaml': tables('ART', NAMES) });
    const r = evaluate(spec);
    expect(Object.values(r.networks).map((n) => n.specs.wireEnergy)).toEqual([3, 3]);
    expect(net(r).tensors.Inputs.energyPerHop).toBeCloseTo(8 * Math.sqrt(2) * 3, 9);
  });
  test('energy-per-hop replaces the wire model; router-energy is charged per router touched', () => {
    const r = evaluate(toy(dramAttrs('        energy-per-hop: 0.5\n        router-energy: 0.25\n')));
    const w = net(r).tensors.Weights;
    expect(w.energyPerHop).toBe(500);
    const routers = w.ingressHistogram.reduce((n, e) => Math.trunc(n + (e.accesses > 0 ? (1 + (w.averageHops * w.ingresses) / w.ingresses) * e.accesses : 0)), 0);
    expect(w.ingressHistogram.filter((e) => e.accesses > 0)).toHaveLength(1);
    expect(w.energyPerInstance).toBeCloseTo(w.averageHops * w.ingresses * 0.5 + routers * 0.25, 9);
  });
  test('network-type M:N (distributed multicast) and user-defined networks are refused', () => {
    expect(errorOf(() => toy(dramAttrs('        network-type: M:N\n'))).kind).toBe('unsupported');
    expect(errorOf(() => toy(dramAttrs('        network_read: noc\n'))).kind).toBe('unsupported');
    expect(net(evaluate(toy(dramAttrs('        network-type: "1:N"\n')))).specs.legacySubtype).toBe('1_N');
  });
});
