/**
 * Full precision from `map+stats.xml`. The stats file prints doubles with 2 decimals; the XML has
 * them as `%.17e`. Each XML value replaces its printed counterpart only after checking that the
 * two agree (within half a unit of the printed last digit; integers exactly), so a wrong mapping
 * of an XML leaf to a schema field fails loudly instead of corrupting golden data.
 *
 * Values the stats file derives (totals = per-instance x utilized instances, sparse-layout bandwidth
 * totals per-instance x the x·y expansion; breakdown percentages from the format ratio) are derived
 * here the same way from the XML doubles, and checked too.
 * Fields with no XML source (spec per-action energies, areas of storage levels, ingresses, network
 * totals, operational intensity, summary) keep their printed values; golden/tolerances.yaml gives
 * those the printed precision.
 */
import { SparsegaugeError } from '../../../engine/errors.ts';
import type { Result, StorageLevel, TensorStats } from '../../../engine/result/schema.ts';
import { XmlView } from './xml-tree.ts';

/** A tensor the artifact build prints as streamed through a level (`A (Streamed)`). */
const STREAMED = / \(Streamed\)$/;

/** How far a full-precision value may be from its 2-decimal print (half a unit, plus double noise). */
const PRINT_HALF_UNIT = 0.005;

interface Checker {
  file: string;
  /** Overlay a double: returns the XML value after checking it against the printed one. */
  double(field: string, printed: number | null | undefined, xml: number | null): number | null;
  /** Check an integer the XML also holds; returns the printed value. */
  exact(field: string, printed: number | undefined, xml: number): void;
}

function checker(file: string): Checker {
  const fail = (field: string, message: string): never => {
    throw new SparsegaugeError('stats-parse', message, { file, field });
  };
  return {
    file,
    double(field, printed, xml) {
      if (printed === undefined) return fail(field, `XML has ${field} but the stats file does not print it`);
      if (printed === null || xml === null) {
        if (printed !== xml) fail(field, `XML ${field} = ${xml} disagrees with the stats value ${printed}`);
        return null;
      }
      const tol = PRINT_HALF_UNIT + 1e-12 * Math.abs(xml);
      if (!(Math.abs(xml - printed) <= tol)) fail(field, `XML ${field} = ${xml} disagrees with the stats value ${printed}`);
      return xml;
    },
    exact(field, printed, xml) {
      if (printed !== xml) fail(field, `XML ${field} = ${xml} disagrees with the stats value ${printed}`);
    },
  };
}

function topology(root: XmlView): XmlView {
  return root.child('boost_serialization').child('engine').child('topology_');
}

/**
 * Problem data-space names in order: every network prints all of them, in problem order. Without a
 * printed network (Timeloop v3 hides those without energy), each printed storage level's tensors
 * are the data spaces its XML `keep` flags, in order; together they name every kept index.
 */
function dataSpaceNames(result: Result, levels: XmlView[], file: string): string[] {
  const networks = Object.values(result.networks);
  if (networks.length === 0) {
    const byIndex: string[] = [];
    for (const level of Object.values(result.storage)) {
      const keep = levels[level.level].child('px').child('stats_').child('keep').perDataSpace();
      const kept = keep.flatMap((k, i) => (k === 1 ? [i] : []));
      const printed = Object.keys(level.tensors);
      if (kept.length !== printed.length) {
        throw new SparsegaugeError('stats-parse', `XML keeps ${kept.length} data spaces at '${level.name}', the stats file prints ${printed.length}`, { file, field: `storage.${level.name}` });
      }
      kept.forEach((k, j) => {
        if (byIndex[k] !== undefined && byIndex[k] !== printed[j]) {
          throw new SparsegaugeError('stats-parse', `data space ${k} is '${byIndex[k]}' and '${printed[j]}'`, { file, field: `storage.${level.name}` });
        }
        byIndex[k] = printed[j];
      });
    }
    const names = Array.from(byIndex, (n, k) => n ?? `(data space ${k})`);
    if (names.length === 0) throw new SparsegaugeError('stats-parse', 'no network or tensor printed: cannot tell the data-space order', { file, field: 'Networks' });
    return names;
  }
  const names = Object.keys(networks[0].tensors);
  for (const n of networks) {
    if (Object.keys(n.tensors).join(',') !== names.join(',')) {
      throw new SparsegaugeError('stats-parse', `network '${n.name}' lists tensors ${Object.keys(n.tensors).join(',')}, expected ${names.join(',')}`, { file, field: `networks.${n.name}` });
    }
  }
  return names;
}

function applyArithmetic(out: Result, px: XmlView, ck: Checker): void {
  const a = out.arithmetic;
  const p = 'arithmetic';
  ck.exact(`${p}.stats.cycles`, a.stats.cycles, px.child('cycles_').number());
  ck.exact(`${p}.stats.utilizedInstancesMax`, a.stats.utilizedInstancesMax, px.child('utilized_instances_').number());
  // Fields an older layout does not print are not looked up (its XML lacks them too).
  if (a.stats.actualComputes !== undefined) ck.exact(`${p}.stats.actualComputes`, a.stats.actualComputes, px.child('random_computes_').number());
  if (a.stats.algorithmicComputes !== undefined) {
    ck.exact(`${p}.stats.algorithmicComputes`, a.stats.algorithmicComputes, px.child('algorithmic_computes_').number());
    ck.exact(`${p}.stats.gatedComputes`, a.stats.gatedComputes, px.child('gated_computes_').number());
    ck.exact(`${p}.stats.skippedComputes`, a.stats.skippedComputes, px.child('skipped_computes_').number());
  }
  if (a.stats.utilizedInstancesAverage !== undefined) {
    a.stats.utilizedInstancesAverage = ck.double(`${p}.stats.utilizedInstancesAverage`, a.stats.utilizedInstancesAverage, px.child('avg_utilized_instances_').number())!;
  }
  a.stats.energy = ck.double(`${p}.stats.energy`, a.stats.energy, px.child('energy_').number())!;
  // `Area (total)` is the per-instance area times the hardware instances.
  a.stats.area = ck.double(`${p}.stats.area`, a.stats.area, px.child('area_').number() * a.specs.instances)!;
}

function applyTensor(t: TensorStats, s: XmlView, k: number, p: string, ck: Checker, sparse: boolean): void {
  const at = (name: string): number => {
    const values = s.child(name).perDataSpace();
    if (k >= values.length) throw new SparsegaugeError('stats-parse', `XML ${s.path}.${name} has ${values.length} data spaces, need index ${k}`, { file: ck.file, field: p });
    return values[k];
  };
  ck.exact(`${p}.partitionSize`, t.partitionSize, at('partition_size'));
  ck.exact(`${p}.maxUtilizedDataStorageCapacity`, t.maxUtilizedDataStorageCapacity, at('utilized_capacity'));
  ck.exact(`${p}.utilizedClustersMax`, t.utilizedClustersMax, at('utilized_clusters'));
  for (const [action, key] of [['reads', 'reads'], ['fills', 'fills'], ['updates', 'updates']] as const) {
    const counts = t[key];
    // The 2019-2020 XML has no random_* counts: its `reads` etc. are the (dense) actual counts.
    ck.exact(`${p}.${key}.actual`, counts.actual, at(s.has(`random_${action}`) || sparse ? `random_${action}` : action));
    if (sparse) {
      ck.exact(`${p}.${key}.algorithmic`, counts.algorithmic, at(action));
      ck.exact(`${p}.${key}.gated`, counts.gated, at(`gated_${action}`));
      ck.exact(`${p}.${key}.skipped`, counts.skipped, at(`skipped_${action}`));
    }
  }
  ck.exact(`${p}.temporalReductions`, t.temporalReductions, at('temporal_reductions'));
  ck.exact(`${p}.addressGenerations`, t.addressGenerations, at('address_generations'));

  const instances = at('utilized_instances');
  const clusters = at('utilized_clusters');
  if (t.utilizedInstancesAverage !== undefined) t.utilizedInstancesAverage = ck.double(`${p}.utilizedInstancesAverage`, t.utilizedInstancesAverage, instances)!;
  else if (!sparse) ck.exact(`${p}.utilizedInstancesMax`, t.utilizedInstancesMax, instances);

  const energy = at('energy');
  t.energyPerScalarAccess = ck.double(`${p}.energyPerScalarAccess`, t.energyPerScalarAccess, at('energy_per_access'))!;
  t.energyPerInstance = ck.double(`${p}.energyPerInstance`, t.energyPerInstance, energy)!;
  t.energyTotal = ck.double(`${p}.energyTotal`, t.energyTotal, energy * instances)!;
  const tr = at('temporal_reduction_energy');
  t.temporalReductionEnergyPerInstance = ck.double(`${p}.temporalReductionEnergyPerInstance`, t.temporalReductionEnergyPerInstance, tr)!;
  t.temporalReductionEnergyTotal = ck.double(`${p}.temporalReductionEnergyTotal`, t.temporalReductionEnergyTotal, tr * instances)!;
  const ag = at('addr_gen_energy');
  t.addressGenerationEnergyPerCluster = ck.double(`${p}.addressGenerationEnergyPerCluster`, t.addressGenerationEnergyPerCluster, ag)!;
  t.addressGenerationEnergyTotal = ck.double(`${p}.addressGenerationEnergyTotal`, t.addressGenerationEnergyTotal, ag * clusters)!;

  const bw = t.bandwidth;
  const bp = `${p}.bandwidth`;
  // Bandwidth totals: the sparse layout scales the per-instance value by the x·y expansion (the
  // integer it prints as `Utilized instances (max)`; the XML does not hold the expansions), the
  // dense layout by the utilized instances. They differ when the average is fractional.
  const bandwidthScale = sparse ? t.utilizedInstancesMax : instances;
  for (const kind of ['shared', 'read', 'write'] as const) {
    if (bw[`${kind}PerInstance`] === undefined) continue; // not printed by 2019-2021 layouts
    if (!s.has(`${kind}_bandwidth`) && !sparse && !s.has('random_reads')) continue; // 2019-2020 XML: printed values only
    const perInstance = at(`${kind}_bandwidth`);
    bw[`${kind}PerInstance`] = ck.double(`${bp}.${kind}PerInstance`, bw[`${kind}PerInstance`], perInstance)!;
    bw[`${kind}Total`] = ck.double(`${bp}.${kind}Total`, bw[`${kind}Total`], perInstance * bandwidthScale)!;
    const breakdown = bw[`${kind}Breakdown`];
    if (breakdown) {
      const ratio = at(`format_${kind}_bandwidth_ratio`);
      bw[`${kind}Breakdown`] = [
        ck.double(`${bp}.${kind}Breakdown.0`, breakdown[0], (1 - ratio) * 100)!,
        ck.double(`${bp}.${kind}Breakdown.1`, breakdown[1], ratio * 100)!,
      ];
    }
  }
}

function applyStorage(level: StorageLevel, px: XmlView, names: string[], ck: Checker, sparse: boolean): void {
  const p = `storage.${level.name}`;
  const specs = px.child('specs_');
  const xmlName = specs.child('LevelSpecs').child('level_name').text();
  if (xmlName !== level.name) throw new SparsegaugeError('stats-parse', `XML level '${xmlName}' where the stats file has '${level.name}'`, { file: ck.file, field: p });
  if (level.specs.sharedBandwidth !== undefined) {
    level.specs.sharedBandwidth = ck.double(`${p}.specs.sharedBandwidth`, level.specs.sharedBandwidth, specs.child('shared_bandwidth').optionalNumber());
  }
  level.specs.readBandwidth = ck.double(`${p}.specs.readBandwidth`, level.specs.readBandwidth, specs.child('read_bandwidth').optionalNumber());
  level.specs.writeBandwidth = ck.double(`${p}.specs.writeBandwidth`, level.specs.writeBandwidth, specs.child('write_bandwidth').optionalNumber());
  level.specs.multipleBuffering = ck.double(`${p}.specs.multipleBuffering`, level.specs.multipleBuffering, specs.child('multiple_buffering').optionalNumber())!;
  level.specs.minUtilization = ck.double(`${p}.specs.minUtilization`, level.specs.minUtilization, specs.child('min_utilization').optionalNumber())!;

  const stats = px.child('stats_');
  ck.exact(`${p}.stats.cycles`, level.stats.cycles, stats.child('cycles').number());
  level.stats.bandwidthThrottling = ck.double(`${p}.stats.bandwidthThrottling`, level.stats.bandwidthThrottling, stats.child('slowdown').number())!;

  // The stats file prints exactly the data spaces the level keeps (and, from the MICRO'22 artifact
  // build, those it streams, which its XML does not hold).
  const keep = stats.child('keep').perDataSpace();
  const kept = names.filter((_, k) => keep[k] === 1);
  const printed = Object.keys(level.tensors).filter((name) => !STREAMED.test(name));
  if (kept.join(',') !== printed.join(',')) {
    throw new SparsegaugeError('stats-parse', `XML keeps [${kept.join(', ')}] at '${level.name}' but the stats file prints [${printed.join(', ')}]`, { file: ck.file, field: `${p}.tensors` });
  }
  for (const name of printed) applyTensor(level.tensors[name], stats, names.indexOf(name), `${p}.tensors.${name}`, ck, sparse);
}

function applyNetworks(out: Result, topo: XmlView, names: string[], ck: Checker, hidden: boolean): void {
  const all = topo.child('networks_').items();
  const printed = Object.keys(out.networks);
  // With hidden inconsequential stats (Timeloop v3) the stats file prints a subsequence of them.
  const items = hidden ? all.filter((i) => printed.includes(i.child('first').text())) : all;
  const xmlNames = items.map((i) => i.child('first').text());
  if (xmlNames.join(',') !== printed.join(',')) {
    throw new SparsegaugeError('stats-parse', `XML networks [${all.map((i) => i.child('first').text()).join(', ')}] differ from the stats file's [${printed.join(', ')}]`, { file: ck.file, field: 'networks' });
  }
  items.forEach((item, i) => {
    const net = out.networks[xmlNames[i]];
    const stats = item.child('second').child('px').child('stats_');
    names.forEach((name, k) => {
      const t = net.tensors[name];
      const p = `networks.${net.name}.tensors.${name}`;
      const at = (leaf: string): number => stats.child(leaf).perDataSpace()[k];
      ck.exact(`${p}.fanout`, t.fanout, at('fanout'));
      if (t.fanoutDistributed !== undefined) ck.exact(`${p}.fanoutDistributed`, t.fanoutDistributed, at('distributed_fanout'));
      ck.exact(`${p}.multicastFactor`, t.multicastFactor, at('multicast_factor'));
      ck.exact(`${p}.linkTransfers`, t.linkTransfers, at('link_transfers'));
      ck.exact(`${p}.spatialReductions`, t.spatialReductions, at('spatial_reductions'));
      t.averageHops = ck.double(`${p}.averageHops`, t.averageHops, at('num_hops'))!;
      t.energyPerInstance = ck.double(`${p}.energyPerInstance`, t.energyPerInstance, at('energy'))!;
      t.linkTransferEnergyPerInstance = ck.double(`${p}.linkTransferEnergyPerInstance`, t.linkTransferEnergyPerInstance, at('link_transfer_energy'))!;
      t.spatialReductionEnergyPerInstance = ck.double(`${p}.spatialReductionEnergyPerInstance`, t.spatialReductionEnergyPerInstance, at('spatial_reduction_energy'))!;
    });
  });
}

/** A copy of `result` with every value the XML holds at full precision taken from the XML. */
export function applyXml(result: Result, root: XmlView): Result {
  const out = structuredClone(result);
  const ck = checker(root.file);
  const topo = topology(root);
  const levels = topo.child('levels_').items();
  const storage = Object.values(out.storage);
  // Levels are matched by their printed number; only the v3 layout may leave some out (hidden).
  const v3 = out.meta.statsRevision === 'timeloop-v3';
  const hidden = v3 && levels.length > storage.length + 1;
  if (storage.some((l) => l.level >= levels.length) || (levels.length !== storage.length + 1 && !hidden)) {
    throw new SparsegaugeError('stats-parse', `XML has ${levels.length} levels, the stats file ${storage.length + 1}`, { file: root.file, field: 'levels_' });
  }
  const names = dataSpaceNames(out, levels, root.file);
  const sparse = out.meta.statsFormat === 'sparseloop';
  applyArithmetic(out, levels[0].child('px'), ck);
  storage.forEach((level) => applyStorage(level, levels[level.level].child('px'), names, ck, sparse));
  applyNetworks(out, topo, names, ck, v3);
  return out;
}
