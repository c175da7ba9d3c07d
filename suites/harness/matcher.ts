/**
 * The one custom matcher: `expect(actual).toBeWithinTolerance(expected, path, tolerances)`, using
 * the shared tolerance rules; its failure message prints path, expected, actual and ratio.
 */
import { expect } from 'vitest';
import { formatNumber, formatRatio } from '../../scripts/lib/report/model.ts';
import { toleranceCheck, type Tolerances } from '../../scripts/lib/report/tolerance.ts';

interface ToleranceMatchers<R = unknown> {
  toBeWithinTolerance(expected: number, path: string, tolerances: Tolerances): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends ToleranceMatchers<T> {}
}

expect.extend({
  toBeWithinTolerance(received: unknown, expected: number, path: string, tolerances: Tolerances) {
    const pass = typeof received === 'number' && toleranceCheck(tolerances)(expected, received, path);
    const actual = typeof received === 'number' ? formatNumber(received) : received === undefined ? 'missing' : JSON.stringify(received);
    return {
      pass,
      message: () =>
        `${path}: ${pass ? 'expected NOT within tolerance' : 'outside tolerance'}\n` +
        `  expected ${formatNumber(expected)}\n  actual   ${actual}\n  ratio    ${formatRatio(expected, received)}`,
    };
  },
});
