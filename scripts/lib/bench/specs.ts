/**
 * The specs `sparsegauge bench` times: every Table 7 golden case (the project's spec templates with
 * the case's variables), and two scaling series built from one of them:
 *   - problem size: the batch N set to 1..64, its whole factor at the outermost level;
 *   - loop count: k pass-through levels (keeping nothing) inserted below the outermost level, the
 *     outermost level's temporal factors split, prime by prime, over it and them.
 * Each generator returns a new Spec and leaves its input unchanged.
 */
import type { CompatMode } from '../../../engine/result/schema.ts';
import { loadSpecFiles } from '../../../engine/input/load.ts';
import type { LevelMapping, LoopSpec, Spec, StorageLevelSpec } from '../../../engine/input/types.ts';
import { findManifestFiles, loadManifest, type GoldenCase, type Manifest } from '../report/manifest.ts';

export interface BenchCase {
  id: string;
  compat: CompatMode;
  /** The reference run dir (Timeloop's inputs and outputs; only where ../shared is present). */
  referenceDir: string;
  /** Reads and validates the spec files (templates rendered with the case's variables). */
  load: () => Spec;
}

/** The Table 7 cases, in manifest order. */
export function table7Cases(): BenchCase[] {
  const manifest: Manifest = loadManifest(findManifestFiles().find((f) => f.includes('table7'))!);
  return manifest.cases.map((c: GoldenCase) => ({ id: c.id, compat: c.compat, referenceDir: c.referenceDir, load: () => loadSpecFiles(manifest.spec, { vars: c.vars }) }));
}

/** Non-unit loops of a mapping (temporal and spatial), the size of the nest the model walks. */
export function loopCount(spec: Spec): number {
  return spec.mapping.levels.reduce((n, l) => n + [...l.temporal, ...l.spatial.x, ...l.spatial.y].filter((x) => x.end > 1).length, 0);
}

/** The same layer with batch size `n`: every N loop becomes 1 except the outermost level's, n. */
export function withBatch(spec: Spec, n: number): Spec {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`batch size must be a positive integer, got ${n}`);
  if (!spec.problem.dimensions.includes('N')) throw new RangeError('the problem has no dimension N');
  const out = structuredClone(spec);
  out.problem.bounds.N = n;
  const outermost = out.mapping.levels.length - 1;
  out.mapping.levels.forEach((level, l) => {
    const set = (loops: LoopSpec[]) => loops.forEach((loop) => loop.dimension === 'N' && (loop.end = 1));
    set(level.temporal);
    set(level.spatial.x);
    set(level.spatial.y);
    if (l === outermost) level.temporal.find((loop) => loop.dimension === 'N')!.end = n;
  });
  return out;
}

const primes = (n: number): number[] => {
  const out: number[] = [];
  for (let p = 2; n > 1; p++) while (n % p === 0) (out.push(p), (n /= p));
  return out;
};

/**
 * `k` more temporal levels: pass-through buffers `Stage1..k` (one instance, no storage, keeping
 * nothing) between the outermost level and the one below it. The outermost level's temporal
 * factors are dealt out prime by prime, round robin over it and the new levels (same loop order),
 * so the tiles of every level below are unchanged and the nest has more, smaller loops.
 */
export function withExtraTemporalLevels(spec: Spec, k: number): Spec {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`level count must be a non-negative integer, got ${k}`);
  const out = structuredClone(spec);
  if (k === 0) return out;
  const storage = out.architecture.storage;
  const outerIndex = storage.length - 1;
  const outer = out.mapping.levels[outerIndex];
  const stages = Array.from({ length: k }, (_, i) => `Stage${i + 1}`);
  // Deal the primes of each outermost factor to the outermost level and the stages in turn.
  const ends: Record<string, number>[] = [outer, ...stages].map(() => ({}));
  let turn = 0;
  for (const loop of outer.temporal) {
    for (const p of primes(loop.end)) {
      const e = ends[turn++ % ends.length];
      e[loop.dimension] = (e[loop.dimension] ?? 1) * p;
    }
  }
  const temporal = (i: number): LoopSpec[] => outer.temporal.map((loop) => ({ dimension: loop.dimension, end: ends[i][loop.dimension] ?? 1 }));
  const stageLevels: LevelMapping[] = stages.map((name, i) => ({ target: name, temporal: temporal(i + 1), spatial: { x: [], y: [] }, keep: [] }));
  const template = storage[outerIndex - 1];
  const stageSpecs: StorageLevelSpec[] = stages.map((name) => ({
    ...structuredClone(template),
    name,
    className: 'storage',
    subclass: 'SRAM',
    technology: 'SRAM',
    instances: 1,
    meshX: 1,
    meshY: 1,
    size: 0,
    readBandwidth: null,
    writeBandwidth: null,
    sharedBandwidth: null,
    metadataWordBits: 0,
    metadataStorageWidth: 0,
    metadataStorageDepth: null,
    attributes: {},
  }));
  // Innermost first: the stages sit just inside the outermost level (Stage1 innermost).
  out.architecture.storage = [...storage.slice(0, outerIndex), ...stageSpecs, storage[outerIndex]];
  out.mapping.levels = [...out.mapping.levels.slice(0, outerIndex), ...stageLevels, { ...outer, temporal: temporal(0) }];
  for (const name of stages) {
    out.ert.components[name] = { tableName: name, actions: { read: 0, write: 0, idle: 0 } };
    out.art.components[name] = { tableName: name, area: 0 };
  }
  return out;
}

/** The same layer with one data space's density replaced (e.g. hypergeometric, for large-tile pmf sums). */
export function withDensity(spec: Spec, dataSpace: string, distribution: string, density: number): Spec {
  if (!spec.problem.dataSpaces.some((d) => d.name === dataSpace)) throw new RangeError(`the problem has no data space ${dataSpace}`);
  const out = structuredClone(spec);
  out.problem.densities[dataSpace] = { distribution, density };
  return out;
}
