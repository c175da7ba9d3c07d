/**
 * Batches: `evaluate` over many run dirs and validate's cases run in one process over worker
 * threads; every result must equal the one-by-one run's, in the order given, and `--out-dir` must
 * never write over an input. Run dirs are made from the oracle suite's own spec files (no
 * ../shared needed): the Table 7 architecture, components, ERT and ART plus one case file.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateTask, type EvaluateTask } from '../scripts/lib/batch/evaluate-run.ts';
import { runTasks, TaskPool } from '../scripts/lib/batch/pool.ts';
import { validateCase } from '../scripts/lib/batch/validate-case.ts';
import { SourceCache } from '../engine/input/source-cache.ts';
import { keyPolicy } from '../engine/input/unknown-keys.ts';
import { loadManifest } from '../scripts/lib/report/manifest.ts';
import { REPO_ROOT } from '../scripts/lib/repo-root.ts';

const oracle = loadManifest(join(REPO_ROOT, 'golden', 'oracle', 'cases.yaml'));
/** Cases of different cost (dense, sparse, hypergeometric, bitmask...), so workers finish out of order. */
const CASES = oracle.cases.filter((c) => Object.keys(c.vars).length === 0).filter((_, i) => i % 9 === 0).slice(0, 8);
const tmp = mkdtempSync(join(tmpdir(), 'sparsegauge-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A Timeloop-style run dir per case: the shared spec files and the case's own file. */
const runDirs = CASES.map((c) => {
  const dir = join(tmp, 'runs', c.id);
  mkdirSync(dir, { recursive: true });
  for (const f of c.spec) copyFileSync(f, join(dir, basename(f)));
  return dir;
});

const task = (inputs: string[]): EvaluateTask => ({ inputs, vars: {}, compat: 'public', disabledFixes: [] });
const cli = (args: string[]) => spawnSync(process.execPath, ['bin/sparsegauge.js', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });

describe('batch of evaluate tasks over worker threads', () => {
  const tasks = [...runDirs.map((d) => task([d])), task([join(tmp, 'no-such-run-dir')]), ...CASES.map((c) => task(c.spec))];
  const oneByOne = tasks.map((t) => evaluateTask(t));

  it('one-by-one runs give results and a one-line error for the missing run dir', () => {
    expect(oneByOne.filter((o) => o.ok)).toHaveLength(tasks.length - 1);
    expect(oneByOne[runDirs.length]).toMatchObject({ ok: false, error: expect.stringContaining('no-such-run-dir') });
  });

  it.each([1, 2, 3])('--jobs %i: outcomes deep-equal the one-by-one runs, in task order', async (jobs) => {
    expect(await runTasks('evaluate', tasks, jobs)).toEqual(oneByOne);
  });

  it('a pool serves several batches; shuffled tasks come back in their own order', async () => {
    const pool = new TaskPool(3);
    try {
      const reversed = [...tasks].reverse();
      expect(await pool.run('evaluate', reversed)).toEqual([...oneByOne].reverse());
      expect(await pool.run('evaluate', tasks)).toEqual(oneByOne);
    } finally {
      await pool.close();
    }
  });

  it('the source cache shares parsed files between loads and gives the same results', () => {
    const cache = new SourceCache();
    const cached = tasks.map((t) => evaluateTask(t, cache.read));
    expect(cached).toEqual(oneByOne);
    // The spec-file tasks share the architecture, components, ERT and ART files.
    expect(cache.hits).toBeGreaterThanOrEqual(4 * (CASES.length - 1));
  });

  it('a file changed on disk is parsed again (key: real path, mtime, size)', () => {
    const dir = join(tmp, 'changing');
    mkdirSync(dir, { recursive: true });
    const cache = new SourceCache();
    const file = join(dir, 'x.yaml');
    writeFileSync(file, 'a: 1\n');
    expect(cache.read(file, {}, keyPolicy()).doc.toJS()).toEqual({ a: 1 });
    writeFileSync(file, 'a: 22\n');
    expect(cache.read(file, {}, keyPolicy()).doc.toJS()).toEqual({ a: 22 });
    expect(cache.misses).toBe(2);
  });
});

describe('validate cases as batch tasks', () => {
  it('outcomes over 2 workers deep-equal the in-thread ones', async () => {
    const tasks = CASES.map((c) => ({ manifest: oracle, case: c, disabledFixes: [] }));
    const cache = new SourceCache();
    const inThread = await Promise.all(tasks.map((t) => validateCase(t, cache)));
    const pooled = await runTasks('validate-case', tasks, 2);
    expect(pooled.map((p) => p.outcome)).toEqual(inThread.map((p) => p.outcome));
    expect(inThread.every((p) => p.outcome.ok)).toBe(true);
  });
});

describe('sparsegauge evaluate <run-dir>... --out-dir', () => {
  it('writes <out-dir>/<run-dir name>.json equal to one-by-one --out runs, summary lines in argument order', () => {
    const out = join(tmp, 'out');
    const dirs = [...runDirs].reverse();
    const r = cli(['evaluate', ...dirs, '--out-dir', out, '--jobs', '2']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => l.split(':')[0])).toEqual(dirs.map((d) => join(out, `${basename(d)}.json`)));
    for (const d of dirs.slice(0, 3)) {
      const single = join(tmp, `single-${basename(d)}.json`);
      expect(cli(['evaluate', d, '--out', single]).status).toBe(0);
      expect(readFileSync(join(out, `${basename(d)}.json`), 'utf8')).toBe(readFileSync(single, 'utf8'));
    }
  });

  it('a failing run dir prints its error line, the others are still written, exit 1', () => {
    const out = join(tmp, 'out-partial');
    const broken = join(tmp, 'runs-broken', 'broken');
    mkdirSync(broken, { recursive: true });
    for (const f of CASES[0].spec) copyFileSync(f, join(broken, basename(f)));
    rmSync(join(broken, 'ART.yaml'));
    const r = cli(['evaluate', runDirs[0], broken, runDirs[1], '--out-dir', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/broken.*has no ART\.yaml/);
    expect(r.stdout.trim().split('\n')).toHaveLength(2);
  });

  it('refuses ambiguous mixes and unclear outputs (exit 2, nothing written)', () => {
    const out = join(tmp, 'out-refused');
    const cases: [string[], RegExp][] = [
      [[runDirs[0], CASES[0].spec[0]], /run dirs or spec files, not both/],
      [[runDirs[0], runDirs[1]], /several run dirs need --out-dir/],
      [[...CASES[0].spec, '--out-dir', out], /--out-dir takes run dirs/],
      [[runDirs[0], '--out-dir', out, '--out', join(out, 'x.json')], /not both/],
      [[runDirs[0], join(tmp, 'runs-broken', 'broken', '..', '..', 'runs', basename(runDirs[0])), '--out-dir', out], /would both write/],
      [[runDirs[0], runDirs[1], '--out-dir', out, '--jobs', '0'], /--jobs expects/],
    ];
    for (const [args, message] of cases) {
      const r = cli(['evaluate', ...args]);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
    }
    expect(() => readFileSync(join(out, `${basename(runDirs[0])}.json`))).toThrow();
  });

  it('never writes over an input: an output path that links to a run dir file is refused', () => {
    const out = join(tmp, 'out-link');
    mkdirSync(out, { recursive: true });
    const victim = join(runDirs[1], 'ERT.yaml');
    const before = readFileSync(victim, 'utf8');
    symlinkSync(victim, join(out, `${basename(runDirs[1])}.json`));
    const r = cli(['evaluate', runDirs[0], runDirs[1], '--out-dir', out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/--out-dir: the output path is an input of this run/);
    expect(readFileSync(victim, 'utf8')).toBe(before);
  });
});
