/**
 * Timeloop v3 (NVlabs/timeloop master, 2023-2025) stats layout: what it prints differently from
 * the 2022 layout of the same format (docs/stats-layouts.md). Detected by the leakage lines every
 * printed storage level has in its SPECS. The parsers consult `StatsRevision` for each difference;
 * nothing else about the layout changes.
 *
 * - no `MAPPING` / `Loop nest:` block per storage level (the loop nest is empty in the result);
 * - storage SPECS: `Vector access energy source` (dense layout only), then `Per-instance-cycle
 *   leakage`, `Instances sharing power gating`, `Non-power-gated utilization` (percent) and
 *   `Leakage energy (total)` before `Area`; a level that is not printed (see below) has none;
 * - per tensor: `Bandwidth Consumption Scale` before the bandwidths; the dense layout prints scalar
 *   fills before updates;
 * - bandwidth breakdowns print the data share as `1 − format%` (`(-32.33%, 33.33%`, `(1.00%,
 *   0.00%`) and the shared one without its closing parenthesis: the importer reads the format
 *   share and records the data share as 100 − format, the value the 2022 layout prints;
 * - with inconsequential stats hidden (the default; `TIMELOOP_HIDE_INCONSEQUENTIAL_STATS=0` prints
 *   them), levels and networks without accesses and energy are left out (level numbers keep their
 *   gaps), and so are their per-compute energy lines;
 * - summary: `Utilization` in percent (recorded as a fraction, as the 2022 layout prints it),
 *   `Area: 0.00 mm^2` whatever the area (a print bug: the field is left out of the result), energy
 *   per compute in fJ (`fJ/Compute`, `fJ/Algorithmic-Compute`; recorded in pJ).
 */
import type { LineCursor } from './cursor.ts';
import { readNum, toNum } from './fields.ts';

export type StatsRevision = 'timeloop-2022' | 'timeloop-v3';

const LEAKAGE_LINE = /^\s*Per-instance-cycle leakage\s*:/m;

export function detectRevision(text: string): StatsRevision {
  return LEAKAGE_LINE.test(text) ? 'timeloop-v3' : 'timeloop-2022';
}

/** v3 storage SPECS lines between the energies and `Area`; checked (numbers, units), not recorded. */
export function readV3LeakageSpecs(c: LineCursor, dense: boolean): void {
  if (dense) c.expectField('Vector access energy source');
  readNum(c, 'Per-instance-cycle leakage', 'pJ');
  readNum(c, 'Instances sharing power gating');
  readPercent(c, 'Non-power-gated utilization');
  readNum(c, 'Leakage energy (total)', 'pJ');
}

/** `label : 12.34%` as the number 12.34. */
export function readPercent(c: LineCursor, label: string): number {
  const { text, line } = c.expectField(label);
  if (!text.endsWith('%')) c.fail(label, `expected a percentage for '${label}', found '${text}'`, line);
  return toNum(c, label, text.slice(0, -1), line);
}

/**
 * v3 `Breakdown (Data, Format): (D%, F%)` with D printed as 1 − F (and the closing parenthesis
 * possibly missing): returns [100 − F, F] after checking that D is that misprint.
 */
export function readV3Breakdown(c: LineCursor): [number, number] {
  const label = 'Breakdown (Data, Format)';
  const { text, line } = c.expectField(label);
  const m = /^\((\S+)%, (\S+)%\)?$/.exec(text);
  if (!m) c.fail(label, `expected '(D%, F%)' for '${label}', found '${text}'`, line);
  const printedData = toNum(c, label, m[1], line);
  const format = toNum(c, label, m[2], line);
  // Both printed with 2 decimals: 1 − F agrees with D within one unit of the last digit.
  if (Math.abs(printedData - (1 - format)) > 0.0100001) {
    c.fail(label, `expected the data share printed as 1 − format (${(1 - format).toFixed(2)}), found '${text}'`, line);
  }
  return [100 - format, format];
}

/**
 * v3 writes map+stats.xml without the archive's closing `</boost_serialization>` (the archive is
 * never closed before exit); everything before it is complete. Returns the text with the tag added
 * when exactly that is missing.
 */
export function closeV3Archive(xml: string): string {
  const end = xml.trimEnd();
  if (end.endsWith('</boost_serialization>') || !/<boost_serialization[\s>]/.test(xml)) return xml;
  return `${end}\n</boost_serialization>\n`;
}
