/**
 * Whole-process timings for `sparsegauge bench`: what a user meets on the command line, start-up
 * included. Per Table 7 case, `node bin/sparsegauge.js evaluate <run dir> --out <file>` (and with
 * a Timeloop binary, `timeloop-model <inputs>` in the same run dir, alternating with ours, run by
 * run); `node -e 0` as the floor any Node program pays; and one batch `evaluate <run dirs>...
 * --out-dir` over copies of the cases, for the per-case cost of a batch.
 *
 * Everything runs in temporary copies of the run dirs' input files: timeloop-model writes its
 * outputs into its working directory, and nothing the user gave may be overwritten.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runDirFiles } from '../../../engine/input/load.ts';
import { REPO_ROOT } from '../repo-root.ts';

export interface ProcessCase {
  id: string;
  /** A Timeloop run dir holding the case's inputs (aggregated_input.yaml, ERT.yaml, ART.yaml). */
  runDir: string;
}

export interface WallTimes {
  /** Wall-clock milliseconds of each run, in the order run. */
  ms: number[];
}

export interface ProcessRow {
  id: string;
  ours: WallTimes;
  /** timeloop-model on the same inputs, or why it could not be timed. */
  timeloop?: WallTimes | { error: string };
}

export interface ProcessReport {
  runs: number;
  node: WallTimes;
  rows: ProcessRow[];
  batch: { runDirs: number; jobs: number; wall: WallTimes };
  timeloopBinary?: string;
  /** 1-minute load average before and after (the machine may be shared). */
  load: [number, number];
  /** Set when the CLI ran from the TypeScript sources (stale dist/), so its timings are not the product's. */
  staleBuild?: string;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Wall time of one process; throws with its first stderr line when it fails. */
function timed(command: string, args: string[], cwd: string): { ms: number; stderr: string } {
  const started = performance.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = performance.now() - started;
  if (r.error) throw new Error(`${basename(command)}: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${basename(command)} ${args.slice(0, 2).join(' ')} exited ${r.status}: ${(r.stderr ?? '').trim().split('\n')[0]}`);
  return { ms, stderr: r.stderr ?? '' };
}

/** A copy of a run dir's input files only (no outputs), in `dir`; returns the input names. */
function copyInputs(runDir: string, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return runDirFiles(runDir).map((f) => (copyFileSync(f, join(dir, basename(f))), basename(f)));
}

export interface ProcessBenchOptions {
  cases: ProcessCase[];
  runs: number;
  timeloop?: string;
  batchSize?: number;
  jobs?: number;
  log?: (line: string) => void;
}

export function processBench(o: ProcessBenchOptions): ProcessReport {
  const log = o.log ?? (() => {});
  const cli = join(REPO_ROOT, 'bin', 'sparsegauge.js');
  const node = process.execPath;
  const tmp = mkdtempSync(join(tmpdir(), 'sparsegauge-bench-'));
  const load0 = loadavg()[0];
  try {
    // Separate copies for each program, so whatever one leaves in its folder cannot reach the other.
    const copies = o.cases.map((c) => ({
      c,
      dir: join(tmp, 'ours', c.id),
      timeloopDir: join(tmp, 'timeloop', c.id),
      inputs: (copyInputs(c.runDir, join(tmp, 'timeloop', c.id)), copyInputs(c.runDir, join(tmp, 'ours', c.id))),
    }));
    const ours = (dir: string, id: string) => timed(node, [cli, 'evaluate', dir, '--out', join(tmp, `${id}.json`)], REPO_ROOT);
    const theirs = (dir: string, inputs: string[]) => timed(o.timeloop!, inputs, dir);

    // Warm-up (file cache, and the first check of the build), untimed.
    const warm = ours(copies[0].dir, copies[0].c.id);
    const staleBuild = /through tsx/.test(warm.stderr) ? warm.stderr.trim().split('\n')[0] : undefined;
    const timeloopError: Record<string, string> = {};
    if (o.timeloop) {
      for (const { c, timeloopDir, inputs } of copies) {
        try {
          theirs(timeloopDir, inputs);
        } catch (e) {
          timeloopError[c.id] = (e as Error).message;
        }
      }
    }

    const nodeMs: number[] = [];
    const oursMs = copies.map(() => [] as number[]);
    const theirsMs = copies.map(() => [] as number[]);
    for (let r = 0; r < o.runs; r++) {
      log(`whole process: round ${r + 1}/${o.runs}`);
      nodeMs.push(timed(node, ['-e', '0'], REPO_ROOT).ms);
      copies.forEach(({ c, dir, timeloopDir, inputs }, i) => {
        // alternate which goes first, so neither always runs on the warmer cache
        const pair = [() => oursMs[i].push(ours(dir, c.id).ms), () => o.timeloop && !timeloopError[c.id] && theirsMs[i].push(theirs(timeloopDir, inputs).ms)];
        (r % 2 ? pair.reverse() : pair).forEach((f) => f());
      });
    }

    const batchSize = o.batchSize ?? 100;
    const dirs: string[] = [];
    for (let k = 0; dirs.length < batchSize; k++) {
      for (const { c } of copies) {
        if (dirs.length === batchSize) break;
        const dir = join(tmp, 'batch', `${c.id}-${String(k).padStart(2, '0')}`);
        copyInputs(c.runDir, dir);
        dirs.push(dir);
      }
    }
    const jobs = o.jobs ?? availableParallelism();
    const batchMs: number[] = [];
    const batchRuns = Math.max(3, Math.ceil(o.runs / 3));
    for (let r = 0; r < batchRuns; r++) {
      log(`batch of ${batchSize}: run ${r + 1}/${batchRuns}`);
      batchMs.push(timed(node, [cli, 'evaluate', ...dirs, '--out-dir', join(tmp, 'batch-out'), '--jobs', String(jobs)], REPO_ROOT).ms);
    }

    return {
      runs: o.runs,
      node: { ms: nodeMs },
      rows: copies.map(({ c }, i) => ({
        id: c.id,
        ours: { ms: oursMs[i] },
        ...(o.timeloop ? { timeloop: timeloopError[c.id] ? { error: timeloopError[c.id] } : { ms: theirsMs[i] } } : {}),
      })),
      batch: { runDirs: batchSize, jobs, wall: { ms: batchMs } },
      ...(o.timeloop ? { timeloopBinary: o.timeloop } : {}),
      load: [load0, loadavg()[0]],
      ...(staleBuild ? { staleBuild } : {}),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
