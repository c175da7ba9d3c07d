/**
 * The metric families every golden case is checked on, derived from the golden result itself
 * (levels, tensors and which counts the stats layout prints), never from a hard-coded list:
 * total cycles, total energy, energy per level, per-level per-tensor action counts (which include
 * the outermost level's reads/fills/updates per tensor), computes.
 */
import type { Result } from '../../engine/result/schema.ts';
import { valueAt } from '../../scripts/lib/compare/index.ts';
import { levelEnergies } from '../../scripts/lib/report/energy.ts';

export interface Check {
  /** test name */
  name: string;
  /** field path whose tolerance rule applies (and which the failure message prints) */
  path: string;
  expected: number;
  /** our value: the field at `path`, or a derived quantity computed the same way as `expected` */
  actual: (ours: Result) => unknown;
}

export interface TensorChecks {
  tensor: string;
  checks: Check[];
}

export interface LevelChecks {
  level: string;
  tensors: TensorChecks[];
}

const field = (name: string, path: string, expected: number): Check => ({ name, path, expected, actual: (ours) => valueAt(ours, path) });

export function totalChecks(golden: Result): Check[] {
  return [field('total cycles', 'summary.cycles', golden.summary.cycles), field('total energy', 'summary.energy', golden.summary.energy)];
}

export function levelEnergyChecks(golden: Result): Check[] {
  return levelEnergies(golden).map(({ level, energy, tolerancePath }) => ({
    name: level,
    path: tolerancePath,
    expected: energy,
    actual: (ours: Result) => levelEnergies(ours).find((l) => l.level === level)?.energy,
  }));
}

const ACTIONS = ['reads', 'fills', 'updates'] as const;
const KINDS = ['algorithmic', 'actual', 'gated', 'skipped'] as const;

/** Per storage level (innermost first) and tensor: every action count the golden file has. */
export function countChecks(golden: Result): LevelChecks[] {
  return Object.entries(golden.storage)
    .map(([level, l]) => ({
      level,
      tensors: Object.entries(l.tensors).map(([tensor, t]) => ({
        tensor,
        checks: ACTIONS.flatMap((action) =>
          KINDS.filter((kind) => typeof t[action][kind] === 'number').map((kind) =>
            field(`${kind} ${action}`, `storage.${level}.tensors.${tensor}.${action}.${kind}`, t[action][kind] as number),
          ),
        ),
      })),
    }))
    .filter((l) => l.tensors.length > 0);
}

export function computeChecks(golden: Result): Check[] {
  const s = golden.arithmetic.stats;
  const checks: Check[] = [];
  for (const kind of KINDS) {
    const key = `${kind}Computes` as const;
    if (typeof s[key] === 'number') checks.push(field(`${kind} computes`, `arithmetic.stats.${key}`, s[key] as number));
  }
  checks.push(field('summary actual computes', 'summary.actualComputes', golden.summary.actualComputes));
  if (typeof golden.summary.algorithmicComputes === 'number') {
    checks.push(field('summary algorithmic computes', 'summary.algorithmicComputes', golden.summary.algorithmicComputes));
  }
  return checks;
}
