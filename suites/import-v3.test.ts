/**
 * The importer reads Timeloop v3's stats layout (master @ 4cf6d4c, docs/timeloop-versions.md §2)
 * into the same schema, with inconsequential stats hidden (Timeloop's default) or printed
 * (TIMELOOP_HIDE_INCONSEQUENTIAL_STATS=0), from the committed master references of the oracle suite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Result } from '../engine/result/schema.ts';
import { compareResults } from '../scripts/lib/compare/index.ts';
import { loadTolerances, TOLERANCES_FILE } from '../scripts/lib/report/tolerance.ts';
import { findManifestFiles, loadManifest } from '../scripts/lib/report/manifest.ts';
import { importStats } from '../scripts/lib/stats/import-stats.ts';
import { parseStatsText } from '../scripts/lib/stats/parse-stats.ts';
import { closeV3Archive, detectRevision } from '../scripts/lib/stats/layout-v3.ts';

const oracle = loadManifest(findManifestFiles().find((f) => f.endsWith('oracle/cases.yaml'))!);
const master = oracle.cases.filter((c) => c.modeReference);
const tolerances = loadTolerances(TOLERANCES_FILE);
const STATS = 'timeloop-model.stats.txt';
const XML = 'timeloop-model.map+stats.xml';

function load(dir: string, out: string): Result {
  return importStats({ statsPath: join(dir, out, STATS), xmlPath: join(dir, 'output', XML), compat: 'timeloop-4cf6d4c' });
}

describe('Timeloop v3 layout', () => {
  test('the committed master references are the v3 layout, the 0424956 ones are not', () => {
    const c = master[0];
    expect(detectRevision(readFileSync(join(c.referenceDir, 'output', STATS), 'utf8'))).toBe('timeloop-v3');
    expect(detectRevision(readFileSync(join(c.referenceDir, 'output-default', STATS), 'utf8'))).toBe('timeloop-v3');
    const own = oracle.cases.find((o) => o.id === c.modeReference!.caseId)!;
    expect(detectRevision(readFileSync(join(own.referenceDir, 'output', STATS), 'utf8'))).toBe('timeloop-2022');
  });

  // Every field the default run prints is the field the full run prints: one reader for both.
  test.each(master.map((c) => [c.modeReference!.caseId, c] as const))('%s: the hidden-stats run imports as a subset of the full one', (_id, c) => {
    const hidden = load(c.referenceDir, 'output-default');
    const full = load(c.referenceDir, 'output');
    expect(hidden.meta.statsRevision).toBe('timeloop-v3');
    // The default run leaves out levels and networks without accesses or energy, never anything else.
    for (const name of Object.keys(full.storage)) {
      if (!(name in hidden.storage)) expect(full.summary.pJPerCompute[name] ?? 0, name).toBe(0);
    }
    const { networks: hiddenNetworks, ...hiddenRest } = hidden;
    const { networks: _all, ...fullRest } = full;
    expect(compareResults(hiddenRest, fullRest, tolerances).outside).toEqual([]);
    for (const [name, n] of Object.entries(hiddenNetworks)) expect(n, name).toEqual(full.networks[name]);
    expect(full.storage[Object.keys(full.storage)[0]].loopNest).toBeUndefined();
    expect(full.summary.area).toBeUndefined();
  });

  test('the full run prints every level and network the XML has; the default run hides the pass-through level', () => {
    const c = master.find((m) => m.modeReference!.caseId === 'z_conv3_sparse_control')!;
    const hidden = load(c.referenceDir, 'output-default');
    const full = load(c.referenceDir, 'output');
    expect(Object.keys(full.storage)).toContain('DummyBuffer');
    expect(Object.keys(hidden.storage)).not.toContain('DummyBuffer');
    expect(Object.keys(full.networks).length).toBe(Object.keys(full.storage).length);
    // Utilization in percent and energies per compute in fJ are recorded as the 2022 layout prints them.
    expect(full.summary.utilization).toBeGreaterThan(0);
    expect(full.summary.utilization).toBeLessThanOrEqual(1);
    expect(full.summary.pJPerCompute.Total).toBeCloseTo(9.315, 2);
  });
});

describe('Timeloop v3 print bugs', () => {
  const c = master.find((m) => m.modeReference!.caseId === 'z_conv3_sparse_control')!;
  const text = readFileSync(join(c.referenceDir, 'output', STATS), 'utf8');

  test("a breakdown's data share printed as 1 - format% is recorded as 100 - format", () => {
    expect(text).toContain('Breakdown (Data, Format): (1.00%, 0.00%\n');
    const r = parseStatsText(text, 'stats.txt', { compat: 'timeloop-4cf6d4c' });
    const bw = r.storage.DRAM.tensors.Inputs.bandwidth;
    expect(bw.sharedBreakdown![0] + bw.sharedBreakdown![1]).toBeCloseTo(100, 6);
  });

  test('a breakdown whose data share is not that misprint is refused with its line', () => {
    const broken = text.replace('Breakdown (Data, Format): (1.00%, 0.00%\n', 'Breakdown (Data, Format): (7.00%, 0.00%\n');
    expect(() => parseStatsText(broken, 'stats.txt', { compat: 'timeloop-4cf6d4c' })).toThrow(/data share printed as 1 − format/);
  });

  test('the XML archive missing its closing tag is closed; a complete one is unchanged', () => {
    const xml = readFileSync(join(c.referenceDir, 'output', XML), 'utf8');
    expect(xml.trimEnd().endsWith('</boost_serialization>')).toBe(false);
    const closed = closeV3Archive(xml);
    expect(closed.trimEnd().endsWith('</boost_serialization>')).toBe(true);
    expect(closeV3Archive(closed)).toBe(closed);
  });
});
