/**
 * Collapsing per-loop records into one record per storage level and tensor: partition sizes,
 * parent shares, bypass masking (a bypassed level's traffic is served by the next outer level,
 * rescaled), link-transfer peer accesses, and the reads / fills / updates / temporal reductions.
 */

import type { AccessClass } from './types.ts';
import type { LoopRecord } from './deltas.ts';

export interface CollapsedTile {
  size: number;
  sizeUnmasked: number;
  partitionSize: number;
  /** Denominator of the partition fraction handed down from the level above (0 = none). */
  partitionDenominator: number;
  parentShare: number;
  /** Access matrix (mutated by masking; networks report it as it stands after masking). */
  access: AccessClass[];
  accessUnmasked: AccessClass[];
  content: number;
  linkTransfers: number;
  peerAccesses: number;
  peerFills: number;
  replication: number;
  fanout: number;
  reads: number;
  fills: number;
  updates: number;
  temporalReductions: number;
  parentLevel: number | null;
  childLevel: number | null;
}

export interface CollapseOptions {
  /** The first accumulation into an output does not read the old value. */
  firstReadElision: boolean;
  /**
   * Compat behaviour `firstFillElision` (docs/timeloop-versions.md): with first-read elision, a
   * read-write tile below the outermost keeper is not filled with its first (all-zero) partition,
   * and its fills are rounded, not truncated.
   */
  firstFillElision: boolean;
}

const copyClass = (c: AccessClass): AccessClass =>
  c.hops === undefined ? { multicast: c.multicast, scatter: c.scatter, accesses: c.accesses } : { multicast: c.multicast, scatter: c.scatter, accesses: c.accesses, hops: c.hops };
const total = (a: AccessClass[]): number => a.reduce((s, x) => s + x.accesses, 0);
const weighted = (a: AccessClass[]): number => a.reduce((s, x) => s + x.accesses * x.multicast, 0);

/** Integer ⌊a·b/c⌋ exact even when a·b exceeds 2^53. */
function mulDivFloor(a: number, b: number, c: number): number {
  const prod = a * b;
  if (Number.isSafeInteger(prod)) return Math.floor(prod / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/** Groups loop records into storage levels (a boundary loop closes a level). */
function groupLevels(records: LoopRecord[], ds: number): CollapsedTile[] {
  const tiles: CollapsedTile[] = [];
  let start = 0;
  for (let r = 0; r < records.length; r++) {
    if (!records[r].boundary && r < records.length - 1) continue;
    const inner = records[start];
    const outer = records[r];
    if (tiles.length > 0) {
      const below = tiles[tiles.length - 1];
      below.partitionDenominator = inner.master ? inner.size[ds] : below.size;
    }
    const access = inner.access[ds].map(copyClass);
    tiles.push({
      size: outer.size[ds],
      sizeUnmasked: outer.size[ds],
      partitionSize: 0,
      partitionDenominator: 0,
      parentShare: 0,
      access,
      accessUnmasked: access.map(copyClass),
      content: total(access),
      linkTransfers: inner.linkTransfers[ds],
      peerAccesses: 0,
      peerFills: 0,
      replication: outer.replication,
      fanout: inner.fanout,
      reads: 0,
      fills: 0,
      updates: 0,
      temporalReductions: 0,
      parentLevel: null,
      childLevel: null,
    });
    start = r + 1;
  }
  return tiles;
}

function nextOuterWithTile(tiles: CollapsedTile[], cur: number): number {
  let outer = cur + 1;
  while (outer < tiles.length && tiles[outer].size === 0) outer++;
  return outer;
}

function partitionSizes(tiles: CollapsedTile[]): void {
  let partition = tiles[tiles.length - 1].size;
  tiles[tiles.length - 1].partitionSize = partition;
  for (let cur = tiles.length - 2; cur >= 0; cur--) {
    const den = tiles[cur].partitionDenominator;
    if (den !== 0) partition = mulDivFloor(partition, tiles[cur].size, den);
    tiles[cur].partitionSize = partition;
  }
}

function parentShares(tiles: CollapsedTile[]): void {
  tiles.forEach((tile, cur) => {
    if (tile.size === 0) return;
    tile.parentShare = 0;
    const outer = nextOuterWithTile(tiles, cur);
    if (outer === tiles.length) return;
    for (const x of tiles[outer].access) tile.parentShare += (x.accesses * x.multicast) / tiles[outer].fanout;
  });
}

function zeroTile(t: CollapsedTile): void {
  t.size = 0;
  t.partitionSize = 0;
  t.content = 0;
  t.parentShare = 0;
}

/**
 * Bypass, inner to outer: the next outer level with a tile now serves every access the bypassed
 * level's children made, keeping its own multicast pattern (entries scaled by one factor).
 */
function maskTiles(tiles: CollapsedTile[], keep: boolean[]): void {
  for (let cur = 0; cur < tiles.length; cur++) {
    if (tiles[cur].size === 0 || keep[cur]) continue;
    const outer = nextOuterWithTile(tiles, cur);
    if (outer === tiles.length) {
      zeroTile(tiles[cur]);
      break;
    }
    const o = tiles[outer];
    const w = weighted(o.access);
    const k = w === 0 ? 0 : (tiles[cur].content * o.fanout) / w;
    for (const x of o.access) {
      if (x.accesses === 0) continue;
      x.accesses *= k;
      o.linkTransfers = 0;
    }
    o.content = total(o.access);
    zeroTile(tiles[cur]);
  }
}

/** Levels above the outermost keeper hold nothing; the outermost keeper is filled by nobody. */
function processOuterMaskedLevels(tiles: CollapsedTile[], keep: boolean[]): void {
  for (let cur = tiles.length - 1; cur >= 0; cur--) {
    if (keep[cur]) {
      tiles[cur].parentShare = 0;
      break;
    }
    const t = tiles[cur];
    zeroTile(t);
    t.access = [];
    t.linkTransfers = 0;
    t.replication = 0;
    t.fanout = 0;
  }
}

function peerAccesses(tiles: CollapsedTile[]): void {
  for (let cur = tiles.length - 1; cur > 0; cur--) {
    if (tiles[cur].linkTransfers === 0) continue;
    const perElement = tiles[cur].linkTransfers / tiles[cur - 1].replication;
    tiles[cur - 1].peerAccesses += perElement;
    tiles[cur - 1].peerFills += perElement;
  }
}

function readsFillsUpdates(tiles: CollapsedTile[], readWrite: boolean, options: CollapseOptions): void {
  for (let cur = 0; cur < tiles.length; cur++) {
    const t = tiles[cur];
    if (t.size === 0) {
      t.reads = t.updates = t.fills = t.temporalReductions = 0;
      continue;
    }
    // Fills are stored in an unsigned integer (truncated); reads and updates are rounded.
    t.fills = Math.trunc(t.parentShare + t.peerFills);
    if (readWrite) {
      const elided = options.firstReadElision ? t.partitionSize : 0;
      if (options.firstFillElision) {
        const outermost = nextOuterWithTile(tiles, cur) === tiles.length;
        t.fills = Math.round(t.parentShare + t.peerFills - (outermost ? 0 : elided));
      }
      t.reads = Math.round(t.content + t.peerAccesses - elided);
      t.updates = Math.round(t.content);
      t.temporalReductions = t.reads;
    } else {
      t.reads = Math.round(t.content + t.peerAccesses);
      t.updates = 0;
      t.temporalReductions = 0;
    }
  }
}

function linkLevels(tiles: CollapsedTile[]): void {
  tiles.forEach((t, cur) => {
    if (t.size === 0) return;
    const outer = nextOuterWithTile(tiles, cur);
    t.parentLevel = outer === tiles.length ? null : outer;
    let inner = cur - 1;
    while (inner >= 0 && tiles[inner].size === 0) inner--;
    t.childLevel = cur === 0 || inner < 0 ? null : inner;
  });
}

/** One data space: loop records → per storage level records (innermost first). */
export function collapseDataSpace(
  records: LoopRecord[],
  ds: number,
  keep: boolean[],
  readWrite: boolean,
  options: CollapseOptions,
): CollapsedTile[] {
  const tiles = groupLevels(records, ds);
  partitionSizes(tiles);
  parentShares(tiles);
  maskTiles(tiles, keep);
  processOuterMaskedLevels(tiles, keep);
  peerAccesses(tiles);
  readsFillsUpdates(tiles, readWrite, options);
  linkLevels(tiles);
  return tiles;
}
