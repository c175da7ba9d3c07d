/**
 * Legacy network between a storage level and its inner neighbour: ingresses with their
 * (multicast, scatter) histogram, spatial reductions, average hops (probabilistic multicast model)
 * and energies as Timeloop's Legacy network prices them (see legacyEnergy).
 */

import type { Spec } from '../input/types.ts';
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
  const tiles = tileAreas(spec);
  const networks: Network[] = storage.map((outer, s) => {
    const net = outer.network;
    // A wire table in the ERT sets the wire energy of every inferred network.
    const wireEnergy = spec.ert.wireEnergy ?? net.wireEnergy;
    const hopMm = (net.tileWidth ?? Math.sqrt(tiles[s])) / 1000;
    const energyPerHop = net.energyPerHop ?? (wireEnergy ? net.wordBits * hopMm * wireEnergy : 0);
    const routerEnergy = net.routerEnergy ?? 0;
    const utilized = dense.levels[s].replication;
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
      // Routers touched: Timeloop accumulates them in an unsigned 64-bit integer (truncating each sum).
      let routers = 0;
      for (const e of entries) {
        ingresses += e.accesses;
        multicastFactor = Math.max(multicastFactor, e.multicast);
        if (t.readWrite) spatialReductions += (e.multicast - 1) * e.accesses;
        if (e.accesses > 0) {
          const h = numHops(e.multicast, recordFanout);
          if (!meshHops) hops += h * e.accesses;
          routers = Math.trunc(routers + (1 + h) * e.accesses);
        }
      }
      const energy = hops * energyPerHop + routers * routerEnergy;
      const linkTransferEnergy = t.linkTransfers * (energyPerHop + 2 * routerEnergy);
      tensors[t.dataSpace] = {
        fanout: recordFanout,
        fanoutDistributed: 0,
        multicastFactor,
        ingresses,
        ingressHistogram: entries,
        linkTransfers: t.linkTransfers,
        spatialReductions,
        averageHops: ingresses > 0 ? hops / ingresses : 0,
        energyPerHop: energyPerHop * 1000,
        energyPerInstance: energy,
        energyTotal: energy * utilized,
        linkTransferEnergyPerInstance: linkTransferEnergy,
        linkTransferEnergyTotal: linkTransferEnergy * utilized,
        // Timeloop's built-in adder energy is 0.
        spatialReductionEnergyPerInstance: 0,
        spatialReductionEnergyTotal: 0,
      };
    }
    return {
      name,
      specs: {
        type: 'Legacy',
        legacySubtype: net.subtype,
        connectionType: CONNECTION_READ_FILL_UPDATE_DRAIN,
        wordBits: net.wordBits,
        routerEnergy: net.routerEnergy,
        wireEnergy: wireEnergy ?? null,
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

/**
 * Timeloop's floorplan: per storage level s, the area (um^2, from the ART) of one tile of
 * everything below it, i.e. of its inner neighbour with all that neighbour's children; the hop
 * distance of the network below s is the square root of that area.
 */
function tileAreas(spec: Spec): number[] {
  const { arithmetic, storage } = spec.architecture;
  const area = (name: string): number => spec.art.components[name]?.area ?? 0;
  const tiles = [area(arithmetic.name)];
  let innerInstances = arithmetic.instances;
  for (const ls of storage.slice(0, -1)) {
    tiles.push(area(ls.name) + tiles[tiles.length - 1] * (innerInstances / ls.instances));
    innerInstances = ls.instances;
  }
  return tiles;
}

/** Per tensor: the outermost level that keeps it. */
function outermostKeepers(dense: DenseCounts): Map<string, number> {
  const keepers = new Map<string, number>();
  dense.levels.forEach((l, i) => {
    for (const ds in l.tensors) if (l.tensors[ds].kept) keepers.set(ds, i);
  });
  return keepers;
}
