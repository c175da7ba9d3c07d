/**
 * Deterministic JSON text for results (2-space indent, insertion order, shortest round-trip
 * numbers) and an atomic file write, so an error never leaves a partial output behind.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
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

export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new SparsegaugeError('io', `cannot write file (${code})`, { file: path });
  }
}
