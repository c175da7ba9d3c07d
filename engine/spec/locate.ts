/**
 * Errors raised after loading (sparse analysis, level models) name a dotted field but have no
 * source position. The loader records where the fields those errors name are (SpecOrigin.positions);
 * this gives such an error the file and line/column of the longest recorded path that contains its
 * field (`sparse_optimizations.targets.SMEM.representation-format.data-spaces.B.ranks` is located
 * at the data space `B` of SMEM's format).
 */
import { SparsegaugeError } from '../errors.ts';
import type { SpecOrigin } from './types.ts';

export function locateError(origin: SpecOrigin, e: unknown): unknown {
  if (!(e instanceof SparsegaugeError) || e.position || !e.field || !origin.positions) return e;
  const field = e.field;
  let best: string | undefined;
  for (const path in origin.positions) {
    const contains = field === path || field.startsWith(`${path}.`) || field.startsWith(`${path}[`);
    if (contains && (best === undefined || path.length > best.length)) best = path;
  }
  if (best === undefined) return e;
  const at = origin.positions[best];
  if (e.file && e.file !== at.file) return e;
  return new SparsegaugeError(e.kind, e.message, { file: at.file, position: at.position, field });
}
