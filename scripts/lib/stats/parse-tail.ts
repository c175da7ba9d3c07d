/**
 * The sections after the levels: Networks, Operational Intensity Stats and Summary Stats, as the
 * layout prints them (layouts.ts): the sparse summary's algorithmic-compute block, the 2020-2021
 * topology totals and summary labels, Timeloop v3's units.
 */
import type { LineCursor } from './cursor.ts';
import { readInt, readNum, readNumOrDash, readText, toNum } from './fields.ts';
import { readPercent } from './layout-v3.ts';
import type { StatsLayout } from './layouts.ts';
import type {
  MulticastEntry,
  Network,
  NetworkTensorStats,
  OperationalIntensity,
  Summary,
} from '../../../engine/result/schema.ts';

function expectHeading(c: LineCursor, title: string): void {
  c.expectLine(title);
  c.expectLine('-'.repeat(title.length), `${title} underline`);
}

function readIngressHistogram(c: LineCursor, layout: StatsLayout): MulticastEntry[] {
  const ingressHistogram: MulticastEntry[] = [];
  while (c.nextStartsWith('@multicast')) {
    const shape = layout.scatterHistogram ? '@multicast m @scatter s: accesses' : '@multicast m: accesses';
    const line = c.next(shape).trim();
    const lineNo = c.lineNumber - 1;
    const m = (layout.scatterHistogram ? /^@multicast (\d+) @scatter (\d+): (\S+)$/ : /^@multicast (\d+)(): (\S+)$/).exec(line);
    if (!m) c.fail('ingress histogram', `expected '${shape}', found '${line}'`, lineNo);
    const scatter = layout.scatterHistogram ? { scatter: Number(m[2]) } : {};
    ingressHistogram.push({ multicast: Number(m[1]), ...scatter, accesses: toNum(c, 'ingress histogram', m[3], lineNo) });
  }
  return ingressHistogram;
}

function parseNetworkTensor(c: LineCursor, layout: StatsLayout): NetworkTensorStats {
  const v3 = layout.energySourceAndLeakage;
  const fanout = readInt(c, 'Fanout');
  // v3 drops `Fanout (distributed)` and prints the distributed lines only for distributed multicast.
  const fanoutDistributed = v3 ? undefined : readInt(c, 'Fanout (distributed)');
  const multicastFactor = readInt(c, 'Multicast factor');
  if (v3 && c.nextStartsWith('Multicast factor (distributed)')) {
    c.fail('Multicast factor (distributed)', 'distributed multicast is not in the result schema');
  }
  const ingresses = readNum(c, 'Ingresses');
  const ingressHistogram = readIngressHistogram(c, layout);
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

function parseNetwork(c: LineCursor, index: number, layout: StatsLayout): Network {
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
  if (layout.energySourceAndLeakage) {
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
    tensors[m[1]] = parseNetworkTensor(c, layout);
  }
  c.where = `networks.${name}`;
  c.expectBlank();
  return { name, specs, tensors };
}

export function parseNetworks(c: LineCursor, layout: StatsLayout): Record<string, Network> {
  c.where = 'networks';
  expectHeading(c, 'Networks');
  const networks: Record<string, Network> = {};
  for (let i = 0; c.nextStartsWith('Network '); i++) {
    const n = parseNetwork(c, i, layout);
    networks[n.name] = n;
  }
  c.skipBlanks();
  if (layout.topologyTotals) {
    // Sums of what the levels and networks print: read, not in the schema.
    readNum(c, 'Total topology energy', 'pJ');
    readNum(c, 'Total topology area', 'um^2');
    readInt(c, 'Max topology cycles');
    c.skipBlanks();
  }
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

export function parseSummary(c: LineCursor, layout: StatsLayout): Summary {
  c.where = 'summary';
  const v3 = layout.energySourceAndLeakage;
  expectHeading(c, 'Summary Stats');
  const gflops = layout.summaryGflopsEdp ? { gflops: readNum(c, 'GFLOPs (@1GHz)') } : {};
  // v3 prints the utilization in percent; recorded as the fraction the 2022 layout prints.
  const utilization = v3 ? readPercent(c, 'Utilization') / 100 : readNum(c, 'Utilization');
  const cycles = readInt(c, 'Cycles');
  const energy = readNum(c, 'Energy', 'uJ');
  const edp = layout.summaryGflopsEdp ? { edp: readNum(c, 'EDP(J*cycle)') } : {};
  const area = readNum(c, 'Area', 'mm^2');
  c.expectBlank();
  // v3 prints `Area: 0.00 mm^2` whatever the area (a print bug): not recorded.
  const head = { ...gflops, utilization, cycles, energy, ...edp, ...(v3 ? {} : { area }) };
  // v3 prints energy per compute in fJ; recorded in pJ.
  const unit = v3 ? 'fJ' : 'pJ';
  const scale = v3 ? 1e-3 : 1;
  let summary: Summary;
  if (layout.format === 'sparseloop') {
    const algorithmicComputes = readInt(c, 'Algorithmic Computes', '=');
    const pJPerAlgorithmicCompute = readPerComponent(c, `${unit}/Algorithmic-Compute`, scale);
    c.expectBlank();
    const actualComputes = readInt(c, 'Actual Computes', '=');
    summary = { ...head, algorithmicComputes, actualComputes, pJPerAlgorithmicCompute, pJPerCompute: readPerComponent(c, `${unit}/Compute`, scale) };
  } else {
    const actualComputes = readInt(c, layout.computesLabel, '=');
    summary = { ...head, actualComputes, pJPerCompute: readPerComponent(c, layout.computesLabel === 'MACCs' ? 'pJ/MACC' : `${unit}/Compute`, scale) };
  }
  c.skipBlanks();
  if (!c.atEnd()) c.fail('end of file', `expected the end of the file after 'pJ/Compute', found '${c.peek()!.trim()}'`);
  return summary;
}
