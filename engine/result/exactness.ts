/**
 * The last guard before a result leaves the engine: every number is finite, and every count
 * (a field named in COUNT_FIELDS, at any depth) is within 2^53 − 1, where a double still holds
 * Timeloop's unsigned 64-bit integer exactly. The count bound checked before evaluating
 * (spec/count-bound.ts) makes this unreachable for the loop nest's counts; cycles stretched by
 * bandwidth throttling and anything the bound misses are caught here instead of printed rounded.
 */
import { SparsegaugeError } from '../errors.ts';
import type { SpecOrigin } from '../input/types.ts';
import { MAX_EXACT_COUNT } from '../input/numbers.ts';
import type { Result } from './schema.ts';

/** Result fields that hold counts (Timeloop's unsigned 64-bit integers). */
const COUNT_FIELDS = new Set([
  'instances',
  'meshX',
  'meshY',
  'cycles',
  'utilizedInstancesMax',
  'utilizedClustersMax',
  'algorithmicComputes',
  'actualComputes',
  'gatedComputes',
  'skippedComputes',
  'algorithmic',
  'actual',
  'gated',
  'skipped',
  'metadata',
  'payload',
  'dataStorageSize',
  'effectiveDataStorageSize',
  'metadataStorageDepth',
  'partitionSize',
  'dataTileShape',
  'maxUtilizedDataStorageCapacity',
  'temporalReductions',
  'addressGenerations',
  'fanout',
  'ingresses',
  'linkTransfers',
  'spatialReductions',
  'accesses',
  'start',
  'end',
  'totalElementwiseOps',
  'totalReductionOps',
  'totalOps',
  'totalMemoryAccessesRequired',
  'totalScalarAccesses',
]);

/** Which spec part a result path's numbers come from (for the error's file). */
function responsibleFile(path: string, origin: SpecOrigin): string | undefined {
  if (/\.(cycles|bandwidthThrottling)$/.test(path) || path.includes('.specs.')) return origin.files.architecture;
  if (/\.(energy|area)|Energy/.test(path)) return origin.files.ERT;
  return origin.files.problem;
}

/** True when every number under `value` passes (no path strings built: this runs on every result). */
function allExact(value: unknown, countField: boolean): boolean {
  if (typeof value === 'number') return Number.isFinite(value) && !(countField && Math.abs(value) > MAX_EXACT_COUNT);
  if (Array.isArray(value)) {
    for (const v of value) if (!allExact(v, countField)) return false;
    return true;
  }
  if (value !== null && typeof value === 'object') {
    for (const key in value) if (!allExact((value as Record<string, unknown>)[key], COUNT_FIELDS.has(key))) return false;
  }
  return true;
}

function visit(value: unknown, path: string, countField: boolean, origin: SpecOrigin): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new SparsegaugeError('value', `${path} evaluates to ${value}: an input value too large or too small to compute with`, {
        file: responsibleFile(path, origin),
        field: path,
      });
    }
    if (countField && Math.abs(value) > MAX_EXACT_COUNT) {
      throw new SparsegaugeError('value', `the count ${path} reaches ${value}, beyond 2^53 - 1, the largest count the model computes exactly`, {
        file: responsibleFile(path, origin),
        field: path,
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => visit(v, `${path}[${i}]`, countField, origin));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], path ? `${path}.${key}` : key, COUNT_FIELDS.has(key), origin);
  }
}

/** Throws a `value` error naming the first count past 2^53 − 1 or non-finite number. */
export function checkResultExact(result: Result, origin: SpecOrigin): void {
  for (const key of ['arithmetic', 'storage', 'networks', 'operationalIntensity', 'summary'] as const) {
    // the walk that names the failing path only when there is one
    if (!allExact(result[key], false)) visit(result[key], key, false, origin);
  }
}
