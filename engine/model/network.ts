/**
 * Legacy network between a storage level and its inner neighbour: ingresses with their
 * (multicast, scatter) histogram, spatial reductions, average hops (probabilistic multicast model),
 * energies (0 unless a wire energy is given, which the normalized spec does not carry).
 */

import type { Spec } from '../spec/types.ts';
import type { DenseCounts } from '../analysis/types.ts';
import type { MulticastEntry, Network, NetworkTensorStats } from '../result/schema.ts';

/** Average hops to reach m of f destinations from a central/side entry point. */
export function numHops(multicast: number, fanout: number): number {
  const rootF = Math.sqrt(multicast);
  const rootN = Math.sqrt(fanout);
  return rootN * rootF + 0.5 * (rootN - rootF) - rootN / rootF + 0.5;
}

const CONNECTION_READ_FILL_UPDATE_DRAIN = 3;

/**
 * `meshHops` (compat behaviour `preciseMulticastHops`): the average hops are the classes' weighted
 * mesh hops (spatial-children.ts) over the ingresses, as Timeloop v3 divides them.
 */
export function modelNetworks(spec: Spec, dense: DenseCounts, meshHops = false): Record<string, Network> {
  const storage = spec.architecture.storage;
  const keepers = outermostKeepers(dense);
  const networks: Network[] = storage.map((outer, s) => {
    const innerName = s === 0 ? spec.architecture.arithmetic.name : storage[s - 1].name;
    const name = `${outer.name} <==> ${innerName}`;
    // The outer level sinks updates; DRAM cannot reduce, so it reads back and writes each update.
    const sinkReduces = outer.technology !== 'DRAM';
    const tensors: Record<string, NetworkTensorStats> = {};
    const levelTensors = dense.levels[s].tensors;
    for (const ds in levelTensors) {
      const t = levelTensors[ds];
      // The record was reset above the outermost keeper: fanout 0 there.
      const recordFanout = s > (keepers.get(ds) ?? -1) ? 0 : dense.levels[s].fanout;
      const entries: Required<MulticastEntry>[] = t.accessMatrix.map((c) => ({
        multicast: c.multicast,
        scatter: c.scatter,
        accesses: t.readWrite && !sinkReduces ? 2 * c.accesses - t.partitionSize : c.accesses,
      }));
      if (entries.length > 1) entries.sort((a, b) => a.multicast - b.multicast || a.scatter - b.scatter);
      let ingresses = 0;
      let hops = meshHops ? t.accessMatrix.reduce((s, c) => s + (c.hops ?? 0), 0) : 0;
      let multicastFactor = 0;
      let spatialReductions = 0;
      for (const e of entries) {
        ingresses += e.accesses;
        multicastFactor = Math.max(multicastFactor, e.multicast);
        if (t.readWrite) spatialReductions += (e.multicast - 1) * e.accesses;
        if (!meshHops && e.accesses > 0) hops += numHops(e.multicast, recordFanout) * e.accesses;
      }
      tensors[t.dataSpace] = {
        fanout: recordFanout,
        fanoutDistributed: 0,
        multicastFactor,
        ingresses,
        ingressHistogram: entries,
        linkTransfers: t.linkTransfers,
        spatialReductions,
        averageHops: ingresses > 0 ? hops / ingresses : 0,
        energyPerHop: 0,
        energyPerInstance: 0,
        energyTotal: 0,
        linkTransferEnergyPerInstance: 0,
        linkTransferEnergyTotal: 0,
        spatialReductionEnergyPerInstance: 0,
        spatialReductionEnergyTotal: 0,
      };
    }
    return {
      name,
      specs: {
        type: 'Legacy',
        legacySubtype: '',
        connectionType: CONNECTION_READ_FILL_UPDATE_DRAIN,
        wordBits: outer.wordBits,
        routerEnergy: null,
        wireEnergy: null,
      },
      tensors,
    };
  });
  // Networks print sorted by name (byte order).
  networks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const byName: Record<string, Network> = {};
  for (const n of networks) byName[n.name] = n;
  return byName;
}

/** Per tensor: the outermost level that keeps it. */
function outermostKeepers(dense: DenseCounts): Map<string, number> {
  const keepers = new Map<string, number>();
  dense.levels.forEach((l, i) => {
    for (const ds in l.tensors) if (l.tensors[ds].kept) keepers.set(ds, i);
  });
  return keepers;
}
