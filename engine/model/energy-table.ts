/**
 * Per-action energies from the ERT. Each model action takes the first ERT action of its priority
 * list that the component's table has; random reads/fills/updates fall back to the component's
 * vector access energy (the largest ERT entry), every other action to 0.
 */

import { SparsegaugeError } from '../errors.ts';
import type { Spec } from '../spec/types.ts';

export const STORAGE_ACTIONS = [
  'random_read',
  'random_fill',
  'random_update',
  'gated_read',
  'gated_fill',
  'gated_update',
  'skipped_read',
  'skipped_fill',
  'skipped_update',
  'random_metadata_read',
  'gated_metadata_read',
  'skipped_metadata_read',
  'random_metadata_fill',
  'gated_metadata_fill',
  'skipped_metadata_fill',
  'random_metadata_update',
  'gated_metadata_update',
  'skipped_metadata_update',
  'decompression_count',
  'compression_count',
] as const;
export type StorageAction = (typeof STORAGE_ACTIONS)[number];

const STORAGE_PRIORITY: Record<StorageAction, string[]> = {
  random_read: ['random_read', 'read'],
  random_fill: ['random_fill', 'write'],
  random_update: ['random_update', 'random_fill', 'write'],
  gated_read: ['gated_read', 'idle', 'read'],
  gated_fill: ['gated_fill', 'gated_write', 'idle', 'write'],
  gated_update: ['gated_update', 'gated_write', 'idle', 'write'],
  skipped_read: ['skipped_read', 'gated_read', 'idle', 'read'],
  skipped_fill: ['skipped_fill', 'skipped_write', 'gated_write', 'idle', 'write'],
  skipped_update: ['skipped_update', 'skipped_write', 'gated_write', 'idle', 'write'],
  random_metadata_read: ['random_metadata_read', 'metadata_read', 'metadata_idle', 'idle'],
  gated_metadata_read: ['gated_metadata_read', 'metadata_idle', 'metadata_read'],
  skipped_metadata_read: ['skipped_metadata_read', 'metadata_idle', 'metadata_read'],
  random_metadata_fill: ['random_metadata_fill', 'metadata_write', 'metadata_idle', 'idle'],
  gated_metadata_fill: ['gated_metadata_fill', 'gated_metadata_write', 'metadata_idle', 'metadata_write'],
  skipped_metadata_fill: ['skipped_metadata_fill', 'skipped_metadata_write', 'metadata_idle', 'metadata_write'],
  random_metadata_update: ['random_metadata_update', 'metadata_write', 'metadata_idle', 'idle'],
  gated_metadata_update: ['gated_metadata_update', 'gated_metadata_write', 'metadata_idle', 'metadata_write'],
  skipped_metadata_update: ['skipped_metadata_update', 'skipped_metadata_write', 'metadata_idle', 'metadata_write'],
  decompression_count: ['decompression_count'],
  compression_count: ['compression_count'],
};

export const COMPUTE_ACTIONS = ['random_compute', 'skipped_compute', 'gated_compute'] as const;
export type ComputeAction = (typeof COMPUTE_ACTIONS)[number];

const COMPUTE_PRIORITY: Record<ComputeAction, string[]> = {
  random_compute: ['mac_random', 'mult_random', 'mac', 'mult', 'compute'],
  skipped_compute: ['mac_skipped', 'mult_skipped', 'compute_skipped', 'mac_gated', 'mult_gated', 'compute_gated', 'mac', 'mult', 'compute'],
  gated_compute: ['mac_gated', 'mult_gated', 'compute_gated', 'mac', 'mult', 'compute'],
};

export interface ActionEnergy<A extends string> {
  energy: Record<A, number>;
  /** Whether an ERT entry was found for the action (else a default was used). */
  matched: Record<A, boolean>;
}

function componentActions(spec: Spec, component: string): Record<string, number> {
  const table = spec.ert.components[component];
  if (!table) {
    throw new SparsegaugeError('energy-table', `the ERT has no table for component '${component}'`, {
      file: spec.origin.files.ERT,
      field: `ERT.tables[${component}]`,
    });
  }
  return table.actions;
}

/** Largest ERT entry of the component divided by its cluster size (`Vector access energy`). */
export function vectorAccessEnergy(spec: Spec, component: string, clusterSize: number): number {
  const values = Object.values(componentActions(spec, component));
  return (values.length ? Math.max(...values) : 0) / clusterSize;
}

/** Position of each storage action in STORAGE_ACTIONS (and in per-action arrays). */
export const STORAGE_ACTION_INDEX = Object.fromEntries(STORAGE_ACTIONS.map((a, i) => [a, i])) as Record<StorageAction, number>;

/** Per ERT action name: the storage actions whose priority list names it, with its rank there. */
const STORAGE_USERS = new Map<string, { action: number; rank: number }[]>();
STORAGE_ACTIONS.forEach((a, action) =>
  STORAGE_PRIORITY[a].forEach((name, rank) => {
    const users = STORAGE_USERS.get(name) ?? [];
    users.push({ action, rank });
    STORAGE_USERS.set(name, users);
  }),
);
/** Random data actions fall back to the vector access energy when the table has no entry. */
const FALLS_BACK = STORAGE_ACTIONS.map((a) => a.startsWith('random_') && !a.includes('metadata'));
/** Per action: the rank of the entry found in its priority list (Infinity: none yet). */
const NOT_FOUND: number[] = STORAGE_ACTIONS.map(() => Infinity);
/** Per action: no entry found yet (NaN keeps the array of doubles that entries are written into). */
const UNSET: number[] = STORAGE_ACTIONS.map(() => NaN);

/** Per-action energies of a storage component, as arrays in STORAGE_ACTIONS order. */
export interface StorageActionEnergies {
  energy: number[];
  /** Whether an ERT entry was found for the action (else a default was used). */
  matched: boolean[];
  /** `Vector access energy`: largest ERT entry divided by the cluster size. */
  vectorAccessEnergy: number;
}

export function storageActionEnergies(spec: Spec, component: string, clusterSize: number): StorageActionEnergies {
  const actions = componentActions(spec, component);
  // One pass over the table: each entry serves the actions that list it, the earliest-listed wins.
  const rankOf = NOT_FOUND.slice();
  const found = UNSET.slice();
  let largest = -Infinity;
  let entries = 0;
  for (const name in actions) {
    const value = actions[name];
    largest = Math.max(largest, value);
    entries++;
    const users = STORAGE_USERS.get(name);
    if (!users) continue;
    for (let u = 0; u < users.length; u++) {
      const { action, rank } = users[u];
      if (rank < rankOf[action]) {
        rankOf[action] = rank;
        found[action] = value;
      }
    }
  }
  const vectorAccessEnergy = (entries ? largest : 0) / clusterSize;
  const matched: boolean[] = [];
  // Defaults are written over the unset entries in place (`found` is already an array of doubles).
  const energy = found;
  for (let a = 0; a < STORAGE_ACTIONS.length; a++) {
    matched.push(rankOf[a] !== Infinity);
    if (!matched[a]) energy[a] = FALLS_BACK[a] ? vectorAccessEnergy : 0;
  }
  return { energy, matched, vectorAccessEnergy };
}

export function computeActionEnergies(spec: Spec, component: string): ActionEnergy<ComputeAction> {
  const actions = componentActions(spec, component);
  const energy = {} as Record<ComputeAction, number>;
  const matched = {} as Record<ComputeAction, boolean>;
  for (const a of COMPUTE_ACTIONS) {
    const hit = COMPUTE_PRIORITY[a].find((n) => n in actions);
    matched[a] = hit !== undefined;
    energy[a] = hit !== undefined ? actions[hit] : 0;
  }
  return { energy, matched };
}

/** Data actions: the counts every level has; a table without them is an input error. */
const DATA_ACTIONS: ReadonlySet<string> = new Set(['random_read', 'random_fill', 'random_update', 'random_compute']);

/** The ERT names an action looks up, in order. */
function fallbackChain(action: StorageAction | ComputeAction): string[] {
  return (STORAGE_PRIORITY as Record<string, string[]>)[action] ?? (COMPUTE_PRIORITY as Record<string, string[]>)[action] ?? [action];
}

/**
 * An action counted `count` times whose fallback chain found no ERT entry. A missing data action
 * (read, write, compute) is an energy-table error. Any other (metadata, gated, skipped,
 * (de)compression) costs what the reference charges when its chain ends with nothing, 0 pJ, and
 * the returned warning says so.
 */
export function unmatchedAction(spec: Spec, component: string, action: StorageAction | ComputeAction, count: number, of = ''): string {
  const chain = fallbackChain(action);
  if (DATA_ACTIONS.has(action)) {
    const shown = action === 'random_compute' ? 'mac_random' : action;
    throw new SparsegaugeError(
      'energy-table',
      `the ERT table of '${component}' has no entry for action '${shown}' (needed: count ${count})`,
      { file: spec.origin.files.ERT, field: `ERT.tables[${component}].actions.${shown}` },
    );
  }
  return `${component}: the ERT has none of ${chain.map((n) => `'${n}'`).join(', ')} for ${action} (${count}${of ? ` of ${of}` : ''}); charged 0 pJ, as Timeloop does`;
}
