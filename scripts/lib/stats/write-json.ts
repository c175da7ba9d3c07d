/**
 * Deterministic JSON text for results (2-space indent, insertion order, shortest round-trip
 * numbers). Files are written by scripts/lib/safe-write.ts.
 */
import { SparsegaugeError } from '../../../engine/errors.ts';

export function toJsonText(value: unknown): string {
  return `${JSON.stringify(
    value,
    (key, v) => {
      // JSON would silently turn NaN/Infinity into null; a result never holds them.
      if (typeof v === 'number' && !Number.isFinite(v)) throw new SparsegaugeError('value', `non-finite number ${v}`, { field: key });
      return v;
    },
    2,
  )}\n`;
}
