/**
 * Test-only: a minimal reader of the shared Timeloop run dirs (aggregated_input.yaml, ERT.yaml,
 * ART.yaml) into a Spec, used by the engine suites until engine/spec/load.ts is ready (then
 * `loadCaseSpec` prefers the real loader). It assumes well-formed Eyeriss-style inputs.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type {
  ArithmeticSpec,
  DensitySpec,
  LevelMapping,
  LoopSpec,
  Spec,
  StorageLevelSpec,
} from '../engine/spec/types.ts';

export const ARTIFACT = resolve(import.meta.dirname, '../../shared/sparseloop-artifact/table7_eyeriss_setup');

type Y = Record<string, any>;

function rangeCount(name: string): number {
  const m = /\[(\d+)\.\.(\d+)\]$/.exec(name);
  return m ? Number(m[2]) - Number(m[1]) + 1 : 1;
}
const baseName = (name: string): string => name.replace(/\[.*\]$/, '');

function flattenArch(node: Y, instances: number, out: { node: Y; instances: number }[]): void {
  const n = instances * rangeCount(node.name ?? '');
  for (const l of node.local ?? []) out.push({ node: l, instances: n * rangeCount(l.name) });
  for (const s of node.subtree ?? []) flattenArch(s, n, out);
}

function storageSpec(node: Y, instances: number): StorageLevelSpec {
  const a = node.attributes ?? {};
  const wordBits = a.datawidth ?? a.word_bits ?? 16;
  const width = a.width ?? a.data_storage_width ?? wordBits;
  const blockSize = a.block_size ?? Math.max(1, Math.floor(width / wordBits));
  const depth = a.data_storage_depth ?? a.depth ?? a.entries;
  const meshX = a.meshX ?? 1;
  return {
    name: baseName(node.name),
    className: node.class,
    subclass: node.subclass,
    technology: node.class === 'DRAM' ? 'DRAM' : 'SRAM',
    instances,
    meshX,
    meshY: instances / meshX,
    wordBits,
    blockSize,
    clusterSize: 1,
    size: node.class === 'DRAM' || depth === undefined ? null : depth * blockSize,
    readBandwidth: a.read_bandwidth ?? null,
    writeBandwidth: a.write_bandwidth ?? null,
    sharedBandwidth: a.shared_bandwidth ?? null,
    multipleBuffering: a.multiple_buffering ?? 1,
    minUtilization: 0,
    numPorts: 2,
    numBanks: a.n_banks ?? 1,
    metadataWordBits: a.metadata_datawidth ?? 0,
    metadataStorageWidth: a.metadata_storage_width ?? 0,
    metadataStorageDepth: a.metadata_storage_depth ?? null,
    addrGenBits: null,
    attributes: a,
  };
}

function parseFactors(s: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of s.trim().split(/\s+/)) {
    const m = /^([A-Za-z]+)=?(\d+)$/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

export function specFromRunDir(dir: string): Spec {
  const input = parse(readFileSync(join(dir, 'aggregated_input.yaml'), 'utf8')) as Y;
  const ert = parse(readFileSync(join(dir, 'ERT.yaml'), 'utf8')) as Y;
  const art = parse(readFileSync(join(dir, 'ART.yaml'), 'utf8')) as Y;
  const flat: { node: Y; instances: number }[] = [];
  flattenArch(input.architecture, 1, flat);
  const storageOuterFirst = flat.filter((f) => f.node.class !== 'mac' && f.node.class !== 'intmac');
  const macNode = flat.find((f) => f.node.class === 'mac' || f.node.class === 'intmac')!;
  const storage = storageOuterFirst.map((f) => storageSpec(f.node, f.instances)).reverse();
  const ma = macNode.node.attributes ?? {};
  const arithmetic: ArithmeticSpec = {
    name: baseName(macNode.node.name),
    instances: macNode.instances,
    meshX: ma.meshX ?? 1,
    meshY: macNode.instances / (ma.meshX ?? 1),
    wordBits: ma.datawidth ?? 16,
  };

  const shape = input.problem.shape;
  const inst = input.problem.instance;
  const dims: string[] = shape.dimensions;
  const coefficients: Record<string, number> = {};
  for (const c of shape.coefficients ?? []) coefficients[c.name] = inst[c.name] ?? c.default;
  const bounds: Record<string, number> = {};
  for (const d of dims) bounds[d] = inst[d];
  const dataSpaces = shape['data-spaces'].map((ds: Y) => ({
    name: ds.name,
    readWrite: ds['read-write'] === true,
    projection: ds.projection.map((rank: string[][]) =>
      rank.map((term) => ({ dimension: term[0], coefficient: term.length > 1 ? coefficients[term[1]] : 1 })),
    ),
  }));
  const densities: Record<string, DensitySpec> = {};
  for (const ds of dataSpaces) {
    const d = inst.densities?.[ds.name];
    densities[ds.name] =
      d === undefined
        ? { distribution: 'fixed-structured', density: 1 }
        : typeof d === 'number'
          ? { distribution: 'fixed-structured', density: d }
          : { ...d, distribution: d.distribution, density: d.density };
  }

  const levels: LevelMapping[] = storage.map((s) => ({
    target: s.name,
    temporal: [],
    spatial: { x: [], y: [] },
    keep: dataSpaces.map((d: Y) => d.name),
  }));
  const byName = new Map(levels.map((l) => [l.target, l] as const));
  const factorsSeen: Record<string, number> = Object.fromEntries(dims.map((d) => [d, 1]));
  const directives: Y[] = input.mapping;
  const loopsOf = (dir: Y): LoopSpec[] => {
    const f = parseFactors(dir.factors ?? '');
    const perm: string[] = (dir.permutation ?? '').replace(/\s+/g, '').split('');
    for (const d of dims) if (!perm.includes(d)) perm.push(d);
    return perm.map((d) => ({ dimension: d, end: f[d] ?? 1 }));
  };
  for (const dir of directives) {
    const lm = byName.get(dir.target)!;
    if (dir.type === 'temporal') lm.temporal = loopsOf(dir);
    else if (dir.type === 'spatial') {
      const loops = loopsOf(dir);
      const split = dir.split ?? loops.length;
      lm.spatial = { x: loops.slice(0, split), y: loops.slice(split) };
    } else if (dir.type === 'bypass' || dir.type === 'datatype') {
      const bypass: string[] = dir.bypass ?? [];
      lm.keep = lm.keep.filter((t) => !bypass.includes(t));
    }
  }
  // factor 0 = whatever the other factors leave of the dimension
  for (const lm of levels) for (const l of [...lm.temporal, ...lm.spatial.x, ...lm.spatial.y]) if (l.end !== 0) factorsSeen[l.dimension] *= l.end;
  for (const lm of levels) for (const l of [...lm.temporal, ...lm.spatial.x, ...lm.spatial.y]) if (l.end === 0) l.end = bounds[l.dimension] / factorsSeen[l.dimension];
  for (const lm of levels) if (lm.temporal.length === 0) lm.temporal = dims.map((d) => ({ dimension: d, end: 1 }));

  const ertComponents: Spec['ert']['components'] = {};
  for (const t of ert.ERT.tables) {
    const actions: Record<string, number> = {};
    for (const a of t.actions) actions[a.name] = Math.max(actions[a.name] ?? -Infinity, Number(a.energy));
    ertComponents[t.name.replace(/\[[^\]]*\]/g, '').split('.').pop()] = { tableName: t.name, actions };
  }
  const artComponents: Spec['art']['components'] = {};
  for (const t of art.ART.tables) artComponents[t.name.replace(/\[[^\]]*\]/g, '').split('.').pop()] = { tableName: t.name, area: Number(t.area) };

  const so = input.sparse_optimizations;
  return {
    architecture: { storage, arithmetic, technology: '45nm' },
    problem: { name: shape.name, dimensions: dims, bounds, coefficients, dataSpaces, densities },
    mapping: { levels },
    sparseOptimizations: so
      ? {
          targets: (so.targets ?? []).map((t: Y) => ({
            name: t.name,
            representationFormat: ((t['representation-format']?.['data-spaces'] ?? t['representation-format']?.data_spaces) ?? []).map((d: Y) => ({
              dataSpace: d.name,
              ranks: (d.ranks ?? []).map((r: Y) => ({
                format: r.format,
                flattenedRankIds: r['flattened-rankIDs'] ?? null,
                payloadWordBits: r['payload-word-bits'] ?? null,
                metadataWordBits: r['metadata-word-bits'] ?? null,
              })),
            })),
            actionOptimization: (t['action-optimization'] ?? []).map((o: Y) => ({
              type: o.type,
              options: (o.options ?? []).map((x: Y) => ({ target: x.target, conditionOn: x['condition-on'] ?? [] })),
            })),
            computeOptimization: (t['compute-optimization'] ?? []).map((o: Y) => ({ type: o.type })),
          })),
        }
      : null,
    ert: { components: ertComponents },
    art: { components: artComponents },
    origin: { files: { architecture: join(dir, 'aggregated_input.yaml'), mapping: join(dir, 'aggregated_input.yaml') } },
  };
}

/** The Spec of a shared reference case, e.g. `dense_outputs/alexnet_conv1`. */
export async function loadCaseSpec(reference: string): Promise<Spec> {
  const dir = join(ARTIFACT, reference);
  const ready = resolve(import.meta.dirname, '../engine/spec/READY');
  if (existsSync(ready)) {
    const loader = '../engine/spec/load.ts'; // computed so the suite compiles before the loader exists
    const mod = (await import(loader)) as { loadRunDir: (d: string) => Spec | Promise<Spec> };
    return await mod.loadRunDir(dir);
  }
  return specFromRunDir(dir);
}
