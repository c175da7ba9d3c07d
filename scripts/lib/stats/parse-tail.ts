/**
 * The sections after the levels: Networks, Operational Intensity Stats and Summary Stats.
 * Both layouts print these the same way except the sparse summary's algorithmic-compute block.
 */
import type { LineCursor } from './cursor.ts';
import { readInt, readNum, readNumOrDash, readText, toNum } from './fields.ts';
import { readPercent, type StatsRevision } from './layout-v3.ts';
import type {
  MulticastEntry,
  Network,
  NetworkTensorStats,
  OperationalIntensity,
  StatsFormat,
  Summary,
} from '../../../engine/result/schema.ts';

function expectHeading(c: LineCursor, title: string): void {
  c.expectLine(title);
  c.expectLine('-'.repeat(title.length), `${title} underline`);
}

function readIngressHistogram(c: LineCursor): MulticastEntry[] {
  const ingressHistogram: MulticastEntry[] = [];
  while (c.nextStartsWith('@multicast')) {
    const line = c.next('@multicast m @scatter s: accesses').trim();
    const lineNo = c.lineNumber - 1;
    const m = /^@multicast (\d+) @scatter (\d+): (\S+)$/.exec(line);
    if (!m) c.fail('ingress histogram', `expected '@multicast m @scatter s: accesses', found '${line}'`, lineNo);
    ingressHistogram.push({ multicast: Number(m[1]), scatter: Number(m[2]), accesses: toNum(c, 'ingress histogram', m[3], lineNo) });
  }
  return ingressHistogram;
}

function parseNetworkTensor(c: LineCursor, revision: StatsRevision): NetworkTensorStats {
  const v3 = revision === 'timeloop-v3';
  const fanout = readInt(c, 'Fanout');
  // v3 drops `Fanout (distributed)` and prints the distributed lines only for distributed multicast.
  const fanoutDistributed = v3 ? undefined : readInt(c, 'Fanout (distributed)');
  const multicastFactor = readInt(c, 'Multicast factor');
  if (v3 && c.nextStartsWith('Multicast factor (distributed)')) {
    c.fail('Multicast factor (distributed)', 'distributed multicast is not in the result schema');
  }
  const ingresses = readNum(c, 'Ingresses');
  const ingressHistogram = readIngressHistogram(c);
  return {
    fanout,
    ...(fanoutDistributed === undefined ? {} : { fanoutDistributed }),
    multicastFactor,
    ingresses,
    ingressHistogram,
    linkTransfers: readInt(c, 'Link transfers'),
    spatialReductions: readInt(c, 'Spatial reductions'),
    averageHops: readNum(c, 'Average number of hops'),
    energyPerHop: readNum(c, 'Energy (per-hop)', 'fJ'),
    energyPerInstance: readNum(c, 'Energy (per-instance)', 'pJ'),
    energyTotal: readNum(c, 'Energy (total)', 'pJ'),
    linkTransferEnergyPerInstance: readNum(c, 'Link transfer energy (per-instance)', 'pJ'),
    linkTransferEnergyTotal: readNum(c, 'Link transfer energy (total)', 'pJ'),
    spatialReductionEnergyPerInstance: readNum(c, 'Spatial Reduction Energy (per-instance)', 'pJ'),
    spatialReductionEnergyTotal: readNum(c, 'Spatial Reduction Energy (total)', 'pJ'),
  };
}

function parseNetwork(c: LineCursor, index: number, revision: StatsRevision): Network {
  c.where = `network ${index}`;
  expectHeading(c, `Network ${index}`);
  const name = c.next('network name').trim();
  if (!/^\S+ <==> \S+$/.test(name)) c.fail('network name', `expected '<outer> <==> <inner>', found '${name}'`, c.lineNumber - 1);
  c.where = `networks.${name}`;
  c.expectBlank();
  expectHeading(c, 'SPECS');
  const specs = {
    type: readText(c, 'Type'),
    legacySubtype: readText(c, 'Legacy sub-type'),
    connectionType: readInt(c, 'ConnectionType'),
    wordBits: readInt(c, 'Word bits'),
    routerEnergy: readNumOrDash(c, 'Router energy', 'pJ'),
    wireEnergy: readNumOrDash(c, 'Wire energy', 'pJ/b/mm'),
  };
  if (revision === 'timeloop-v3') {
    // Checked, not in the result schema.
    readNumOrDash(c, 'Ingress energy', 'pJ');
    readNumOrDash(c, 'Fill latency');
    readNumOrDash(c, 'Drain latency');
  }
  c.expectBlank();
  expectHeading(c, 'STATS');
  const tensors: Record<string, NetworkTensorStats> = {};
  while (!c.atEnd() && c.peek()!.trim() !== '') {
    const header = c.next('<tensor>:').trim();
    const m = /^(\S+):$/.exec(header);
    if (!m) c.fail('tensor name', `expected '<tensor>:' or a blank line, found '${header}'`, c.lineNumber - 1);
    c.where = `networks.${name}.tensors.${m[1]}`;
    tensors[m[1]] = parseNetworkTensor(c, revision);
  }
  c.where = `networks.${name}`;
  c.expectBlank();
  return { name, specs, tensors };
}

export function parseNetworks(c: LineCursor, revision: StatsRevision = 'timeloop-2022'): Record<string, Network> {
  c.where = 'networks';
  expectHeading(c, 'Networks');
  const networks: Record<string, Network> = {};
  for (let i = 0; c.nextStartsWith('Network '); i++) {
    const n = parseNetwork(c, i, revision);
    networks[n.name] = n;
  }
  c.skipBlanks();
  return networks;
}

export function parseOperationalIntensity(c: LineCursor): OperationalIntensity {
  c.where = 'operationalIntensity';
  expectHeading(c, 'Operational Intensity Stats');
  const oi: OperationalIntensity = {
    totalElementwiseOps: readInt(c, 'Total elementwise ops'),
    totalReductionOps: readInt(c, 'Total reduction ops'),
    totalOps: readInt(c, 'Total ops'),
    totalMemoryAccessesRequired: readInt(c, 'Total memory accesses required'),
    optimalOpPerByte: readNum(c, 'Optimal Op per Byte'),
    levels: {},
  };
  c.expectBlank();
  while (c.nextStartsWith('===')) {
    const line = c.next('=== <level> ===').trim();
    const m = /^=== (.+) ===$/.exec(line);
    if (!m) c.fail('level name', `expected '=== <level> ===', found '${line}'`, c.lineNumber - 1);
    const entry: { totalScalarAccesses?: number; opPerByte?: number } = {};
    // Levels that keep nothing (DummyBuffer) print only their header.
    if (c.nextStartsWith('Total scalar accesses')) {
      entry.totalScalarAccesses = readInt(c, 'Total scalar accesses');
      entry.opPerByte = readNum(c, 'Op per Byte');
    }
    oi.levels[m[1]] = entry;
  }
  c.skipBlanks();
  return oi;
}

/** `name = value` lines until a blank line or the end of the file; `scale` converts the printed unit to pJ. */
function readPerComponent(c: LineCursor, title: string, scale = 1): Record<string, number> {
  c.expectLine(title);
  const out: Record<string, number> = {};
  while (!c.atEnd() && c.peek()!.trim() !== '') {
    const line = c.next(`${title} entry`).trim();
    const lineNo = c.lineNumber - 1;
    const m = /^(.+?)\s*= (\S+)$/.exec(line);
    if (!m) c.fail(`${title} entry`, `expected '<component> = <value>', found '${line}'`, lineNo);
    out[m[1]] = toNum(c, `${title} ${m[1]}`, m[2], lineNo) * scale;
  }
  if (!('Total' in out)) c.fail(`${title} Total`, `expected a 'Total = <value>' line in '${title}'`);
  return out;
}

export function parseSummary(c: LineCursor, format: StatsFormat, revision: StatsRevision = 'timeloop-2022'): Summary {
  c.where = 'summary';
  const v3 = revision === 'timeloop-v3';
  expectHeading(c, 'Summary Stats');
  const gflops = readNum(c, 'GFLOPs (@1GHz)');
  // v3 prints the utilization in percent; recorded as the fraction the 2022 layout prints.
  const utilization = v3 ? readPercent(c, 'Utilization') / 100 : readNum(c, 'Utilization');
  const cycles = readInt(c, 'Cycles');
  const energy = readNum(c, 'Energy', 'uJ');
  const edp = readNum(c, 'EDP(J*cycle)');
  const area = readNum(c, 'Area', 'mm^2');
  c.expectBlank();
  // v3 prints `Area: 0.00 mm^2` whatever the area (a print bug): not recorded.
  const head = { gflops, utilization, cycles, energy, edp, ...(v3 ? {} : { area }) };
  // v3 prints energy per compute in fJ; recorded in pJ.
  const unit = v3 ? 'fJ' : 'pJ';
  const scale = v3 ? 1e-3 : 1;
  let summary: Summary;
  if (format === 'sparseloop') {
    const algorithmicComputes = readInt(c, 'Algorithmic Computes', '=');
    const pJPerAlgorithmicCompute = readPerComponent(c, `${unit}/Algorithmic-Compute`, scale);
    c.expectBlank();
    const actualComputes = readInt(c, 'Actual Computes', '=');
    summary = { ...head, algorithmicComputes, actualComputes, pJPerAlgorithmicCompute, pJPerCompute: readPerComponent(c, `${unit}/Compute`, scale) };
  } else {
    const actualComputes = readInt(c, 'Computes', '=');
    summary = { ...head, actualComputes, pJPerCompute: readPerComponent(c, `${unit}/Compute`, scale) };
  }
  c.skipBlanks();
  if (!c.atEnd()) c.fail('end of file', `expected the end of the file after 'pJ/Compute', found '${c.peek()!.trim()}'`);
  return summary;
}
