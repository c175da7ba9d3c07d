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

export function storageActionEnergies(spec: Spec, component: string, clusterSize: number): ActionEnergy<StorageAction> {
  const actions = componentActions(spec, component);
  const fallback = vectorAccessEnergy(spec, component, clusterSize);
  const energy = {} as Record<StorageAction, number>;
  const matched = {} as Record<StorageAction, boolean>;
  for (const a of STORAGE_ACTIONS) {
    const hit = STORAGE_PRIORITY[a].find((n) => n in actions);
    matched[a] = hit !== undefined;
    energy[a] = hit !== undefined ? actions[hit] : a.startsWith('random_') && !a.includes('metadata') ? fallback : 0;
  }
  return { energy, matched };
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

/** An action with a non-zero count needs an ERT entry (or the documented random fallback). */
export function requireAction(spec: Spec, component: string, action: string, matched: boolean, count: number): void {
  if (count === 0 || matched) return;
  throw new SparsegaugeError(
    'energy-table',
    `the ERT table of '${component}' has no entry for action '${action}' (needed: count ${count})`,
    { file: spec.origin.files.ERT, field: `ERT.tables[${component}].actions.${action}` },
  );
}
