/** Applying the chosen SAFs level by level, outermost first (docs/sparse.md §4.2–§4.3). */
import type { DataSpace } from '../../input/types.ts';
import type { DenseCounts } from '../../analysis/types.ts';
import type { TensorState } from '../state.ts';
import type { SafDecision } from './decide.ts';
import { applyLocalSaf, installPending, pendingFrom, reduceByOuterSaf } from './impact.ts';
import { round6 } from '../compute.ts';

function formatRanksOf(states: Record<string, TensorState>[], l: number, name: string): number {
  return states[l][name]?.work.formatReads.random.length ?? 0;
}

/** Format accesses a SAF gates: as many ranks as the child holds (its own when it has no child). */
function safFormatRanks(states: Record<string, TensorState>[], l: number, name: string): number {
  const child = states[l][name]?.record.childLevel ?? null;
  return child === null ? formatRanksOf(states, l, name) : formatRanksOf(states, child, name);
}

/** §4.2–§4.3: apply each SAF at its level, propagate to inner levels and to the computes. */
export function propagateSafs(
  dense: DenseCounts,
  dataSpaces: DataSpace[],
  states: Record<string, TensorState>[],
  safs: Record<string, SafDecision>[],
  computes: number,
  storageGated: Record<string, number>,
  roundedComputeSafProbability: boolean,
): number {
  const levels = dense.levels.length;
  for (const ds of dataSpaces) {
    const name = ds.name;
    const pending = states.map((st) => (st[name] ? pendingFrom(st[name].work) : null));
    const finalized = new Array<boolean>(levels).fill(false);
    for (let l = levels - 1; l >= 0; l--) {
      const saf = safs[l][name];
      if (!saf) continue;
      const p = saf.p;
      let k = l - 1;
      for (; k >= 0; k--) {
        const inner = pending[k];
        if (inner) reduceByOuterSaf(inner, p, states[k][name].work.hasMetadata, formatRanksOf(states, l, name));
        const local = safs[k][name];
        // The next level with its own SAF (a spatial skip counts, held there or not) takes over.
        if (local) {
          if (inner) {
            const w = states[k][name].work;
            installPending(w, inner, 'updates');
            // Not clamped: when the outer SAF removes more than this one would alone, the share is
            // negative and un-gates accesses; Timeloop prints such negative gated/skipped counts
            // wrapped modulo 2^64 (checked by a reference run of public Timeloop; suites/sparse-gating).
            if (local.kind !== 'spatial') applyLocalSaf(w, 1 - (1 - local.p) / (1 - p), local.kind, safFormatRanks(states, k, name));
          }
          finalized[k] = true;
          break;
        }
      }
      if (!finalized[l] && states[l][name]) {
        finalized[l] = true;
        const w = states[l][name].work;
        installPending(w, pending[l]!);
        if (saf.kind !== 'spatial') applyLocalSaf(w, p, saf.kind, safFormatRanks(states, l, name));
      }
      if (k < 0 && !ds.readWrite) {
        // Compat behaviour (micro22, docs/compat-modes.md §3): the MAC reduction uses the 10⁻⁶-rounded probability.
        const pMac = roundedComputeSafProbability ? round6(p) : p;
        computes -= Math.floor(computes * pMac);
        storageGated[name] = round6(p);
      }
    }
    // Levels without a gating/skipping SAF take what reaches them (a spatial skip leaves its own
    // level's accesses alone).
    for (let l = 0; l < levels; l++) {
      const s = states[l][name];
      if (!s || (safs[l][name] && safs[l][name].kind !== 'spatial')) continue;
      installPending(s.work, pending[l]!);
      s.work.temporalReductions = s.record.updates === 0 ? 0 : Math.ceil((s.record.temporalReductions * s.work.updates.random) / s.record.updates);
    }
  }
  return computes;
}

