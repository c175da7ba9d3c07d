/**
 * Per-action energies from the ERT. Each model action takes the first ERT action of its priority
 * list that the component's table has; random reads/fills/updates and computes without an entry
 * (or without a table) cost Timeloop's built-in estimate (builtin-energy.ts), every other action 0.
 */

import type { Spec, StorageLevelSpec } from '../input/types.ts';
import { builtinComputeEnergy, builtinVectorAccessEnergy } from './builtin-energy.ts';

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

/**
 * Timeloop v3's lists (compat behaviour `v3ErtActionNames`, docs/timeloop-versions.md): no `idle`
 * fallbacks, gated/skipped actions fall back only to other gated names, `fill`/`update` and
 * `random_write` names added.
 */
const STORAGE_PRIORITY_V3: Record<StorageAction, string[]> = {
  random_read: ['random_read', 'read'],
  gated_read: ['gated_read'],
  skipped_read: ['skipped_read', 'gated_read'],
  random_metadata_read: ['random_metadata_read', 'metadata_read'],
  gated_metadata_read: ['gated_metadata_read'],
  skipped_metadata_read: ['skipped_metadata_read', 'gated_metadata_read'],
  random_fill: ['random_fill', 'random_write', 'fill', 'write'],
  gated_fill: ['gated_fill', 'gated_write'],
  skipped_fill: ['skipped_fill', 'skipped_write', 'gated_fill', 'gated_write'],
  random_metadata_fill: ['random_metadata_fill', 'random_metadata_write', 'metadata_fill', 'metadata_write'],
  gated_metadata_fill: ['gated_metadata_fill', 'gated_metadata_write'],
  skipped_metadata_fill: ['skipped_metadata_fill', 'skipped_metadata_write', 'gated_metadata_fill', 'gated_metadata_write'],
  random_update: ['random_update', 'random_write', 'update', 'write'],
  gated_update: ['gated_update', 'gated_write'],
  skipped_update: ['skipped_update', 'skipped_write', 'gated_update', 'gated_write'],
  random_metadata_update: ['random_metadata_update', 'random_metadata_write', 'metadata_update', 'metadata_write'],
  gated_metadata_update: ['gated_metadata_update', 'gated_metadata_write'],
  skipped_metadata_update: ['skipped_metadata_update', 'skipped_metadata_write', 'gated_metadata_update', 'gated_metadata_write'],
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

/** The component's ERT entries; undefined when the ERT has no table for it. */
function componentActions(spec: Spec, component: string): Record<string, number> | undefined {
  return spec.ert.components[component]?.actions;
}

/** Position of each storage action in STORAGE_ACTIONS (and in per-action arrays). */
export const STORAGE_ACTION_INDEX = Object.fromEntries(STORAGE_ACTIONS.map((a, i) => [a, i])) as Record<StorageAction, number>;

/** Per ERT action name: the storage actions whose priority list names it, with its rank there. */
function storageUsers(priority: Record<StorageAction, string[]>): Map<string, { action: number; rank: number }[]> {
  const byName = new Map<string, { action: number; rank: number }[]>();
  STORAGE_ACTIONS.forEach((a, action) =>
    priority[a].forEach((name, rank) => {
      const users = byName.get(name) ?? [];
      users.push({ action, rank });
      byName.set(name, users);
    }),
  );
  return byName;
}
const STORAGE_USERS = storageUsers(STORAGE_PRIORITY);
const STORAGE_USERS_V3 = storageUsers(STORAGE_PRIORITY_V3);
/** Random data actions fall back to the built-in vector access energy when the table has no entry. */
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
  /** `Vector access energy`: largest ERT entry (0 or more) divided by the cluster size; the built-in estimate without a table. */
  vectorAccessEnergy: number;
}

export function storageActionEnergies(spec: Spec, ls: StorageLevelSpec, v3ActionNames = false): StorageActionEnergies {
  const actions = componentActions(spec, ls.name) ?? {};
  const usersOf = v3ActionNames ? STORAGE_USERS_V3 : STORAGE_USERS;
  // One pass over the table: each entry serves the actions that list it, the earliest-listed wins.
  const rankOf = NOT_FOUND.slice();
  const found = UNSET.slice();
  let largest = 0;
  for (const name in actions) {
    const value = actions[name];
    largest = Math.max(largest, value);
    const users = usersOf.get(name);
    if (!users) continue;
    for (let u = 0; u < users.length; u++) {
      const { action, rank } = users[u];
      if (rank < rankOf[action]) {
        rankOf[action] = rank;
        found[action] = value;
      }
    }
  }
  const hasTable = spec.ert.components[ls.name] !== undefined;
  // The built-in estimate only where the ERT leaves a data action unpriced (it refuses a level it cannot size).
  const needsBuiltin = !hasTable || FALLS_BACK.some((falls, a) => falls && rankOf[a] === Infinity);
  const builtin = needsBuiltin ? builtinVectorAccessEnergy(spec, ls) : 0;
  const vectorAccessEnergy = hasTable ? largest / ls.clusterSize : builtin;
  const matched: boolean[] = [];
  // Defaults are written over the unset entries in place (`found` is already an array of doubles).
  const energy = found;
  for (let a = 0; a < STORAGE_ACTIONS.length; a++) {
    matched.push(rankOf[a] !== Infinity);
    if (!matched[a]) energy[a] = FALLS_BACK[a] ? builtin : 0;
  }
  return { energy, matched, vectorAccessEnergy };
}

export function computeActionEnergies(spec: Spec): ActionEnergy<ComputeAction> {
  const a = spec.architecture.arithmetic;
  const actions = componentActions(spec, a.name) ?? {};
  const energy = {} as Record<ComputeAction, number>;
  const matched = {} as Record<ComputeAction, boolean>;
  for (const op of COMPUTE_ACTIONS) {
    const hit = COMPUTE_PRIORITY[op].find((n) => n in actions);
    matched[op] = hit !== undefined;
    energy[op] = hit !== undefined ? actions[hit] : op === 'random_compute' ? builtinComputeEnergy(a) : 0;
  }
  return { energy, matched };
}

/** Data actions: without an ERT entry they cost the built-in estimate, any other action 0 pJ. */
const DATA_ACTIONS: ReadonlySet<string> = new Set(['random_read', 'random_fill', 'random_update', 'random_compute']);

/** The ERT names an action looks up, in order. */
function fallbackChain(action: StorageAction | ComputeAction): string[] {
  return (STORAGE_PRIORITY as Record<string, string[]>)[action] ?? (COMPUTE_PRIORITY as Record<string, string[]>)[action] ?? [action];
}

/**
 * The warning for an action counted `count` times whose fallback chain found no ERT entry, charged
 * `energy` pJ each as Timeloop charges it: a data action (read, fill, update, compute) its built-in
 * estimate, any other (metadata, gated, skipped, (de)compression) 0 pJ.
 */
export function unmatchedAction(spec: Spec, component: string, action: StorageAction | ComputeAction, count: number, energy: number, of = ''): string {
  const chain = fallbackChain(action);
  const what = spec.ert.components[component] ? `the ERT has none of ${chain.map((n) => `'${n}'`).join(', ')}` : 'the ERT has no table';
  const charged = DATA_ACTIONS.has(action) ? `charged Timeloop's built-in estimate, ${energy} pJ each` : 'charged 0 pJ, as Timeloop does';
  return `${component}: ${what} for ${action} (${count}${of ? ` of ${of}` : ''}); ${charged}`;
}
