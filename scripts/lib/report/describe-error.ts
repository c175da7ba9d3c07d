/** One-line text for any failure: the user-error format for SparsegaugeError, else marked internal. */
import { formatError, isSparsegaugeError } from '../../../engine/errors.ts';

export function describeError(e: unknown): string {
  if (isSparsegaugeError(e)) return formatError(e);
  const message = e instanceof Error ? e.message : String(e);
  return `internal error: ${message.split('\n')[0]}`;
}
