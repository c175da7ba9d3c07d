/**
 * The whole-process bench runs the CLI and a Timeloop binary only in temporary copies of the run
 * dirs: a stand-in "timeloop-model" that writes outputs into its working directory and overwrites
 * its input files must leave the user's run dirs untouched. (Timings themselves are not checked.)
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { processBench } from '../scripts/lib/bench/process.ts';
import { loadManifest } from '../scripts/lib/report/manifest.ts';
import { REPO_ROOT } from '../scripts/lib/repo-root.ts';

const oracle = loadManifest(join(REPO_ROOT, 'golden', 'oracle', 'cases.yaml'));
const tmp = mkdtempSync(join(tmpdir(), 'sparsegauge-bench-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cases = oracle.cases
  .filter((c) => Object.keys(c.vars).length === 0)
  .slice(0, 2)
  .map((c) => {
    const runDir = join(tmp, 'runs', c.id);
    mkdirSync(runDir, { recursive: true });
    for (const f of c.spec) copyFileSync(f, join(runDir, basename(f)));
    return { id: c.id, runDir };
  });

const snapshot = (dir: string) => Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('sparsegauge bench: whole processes', () => {
  it('times ours and the Timeloop binary per case, in copies: the run dirs are unchanged', () => {
    const fake = join(tmp, 'fake-timeloop-model');
    writeFileSync(fake, '#!/bin/sh\necho stats > timeloop-model.stats.txt\nfor f in "$@"; do echo clobbered > "$f"; done\n');
    chmodSync(fake, 0o755);
    const before = cases.map((c) => snapshot(c.runDir));
    const report = processBench({ cases, runs: 2, timeloop: fake, batchSize: 3, jobs: 2 });
    expect(cases.map((c) => snapshot(c.runDir))).toEqual(before);
    expect(report.rows.map((r) => r.id)).toEqual(cases.map((c) => c.id));
    for (const row of report.rows) {
      expect(row.ours.ms).toHaveLength(2);
      expect(row.timeloop).toMatchObject({ ms: [expect.any(Number), expect.any(Number)] });
    }
    expect(report.batch).toMatchObject({ runDirs: 3, jobs: 2 });
    expect(report.node.ms).toHaveLength(2);
  });

  it('a Timeloop binary that fails is reported per case, ours still timed; without one nothing of it appears', () => {
    const failing = join(tmp, 'failing-timeloop-model');
    writeFileSync(failing, '#!/bin/sh\necho "no such arch" >&2\nexit 3\n');
    chmodSync(failing, 0o755);
    const report = processBench({ cases: cases.slice(0, 1), runs: 1, timeloop: failing, batchSize: 1 });
    expect(report.rows[0].timeloop).toEqual({ error: expect.stringContaining('exited 3: no such arch') });
    expect(report.rows[0].ours.ms).toHaveLength(1);
    const without = processBench({ cases: cases.slice(0, 1), runs: 1, batchSize: 1 });
    expect(without.rows[0].timeloop).toBeUndefined();
    expect(without.timeloopBinary).toBeUndefined();
  });
});
