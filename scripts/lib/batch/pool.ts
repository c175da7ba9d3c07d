/**
 * Runs lists of tasks and returns their outcomes in the order of the tasks, spread over `jobs`
 * worker threads (each takes the next task when it finishes one), or in this thread when one job
 * or one task makes workers pure overhead. Workers start on first need and serve every later
 * `run` until `close`. Every thread keeps its own SourceCache.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SourceCache } from '../../../engine/input/source-cache.ts';
import { REPO_ROOT } from '../repo-root.ts';
import { loadHandler, type TaskKind, type TaskTypes } from './handlers.ts';

export const defaultJobs = (): number => availableParallelism();

/** The worker script: the compiled one beside the compiled CLI, else the sources through tsx. */
function workerScript(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./worker-tsx.mjs', import.meta.url);
  return pathToFileURL(join(REPO_ROOT, 'dist', 'scripts', 'lib', 'batch', 'worker.js'));
}

type Reply = { index: number; outcome?: unknown; internal?: string };

export class TaskPool {
  private readonly workers: Worker[] = [];
  private readonly cache = new SourceCache();

  constructor(readonly jobs: number = defaultJobs()) {
    if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`jobs must be a whole number >= 1, got ${jobs}`);
  }

  async run<K extends TaskKind>(kind: K, tasks: TaskTypes[K]['task'][]): Promise<TaskTypes[K]['outcome'][]> {
    const threads = Math.min(this.jobs, tasks.length);
    if (threads <= 1) {
      const handler = await loadHandler(kind);
      const out: TaskTypes[K]['outcome'][] = [];
      for (const t of tasks) out.push(await handler(t, this.cache));
      return out;
    }
    while (this.workers.length < threads) this.workers.push(new Worker(workerScript()));
    const outcomes: TaskTypes[K]['outcome'][] = new Array(tasks.length);
    let next = 0;
    await Promise.all(
      this.workers.slice(0, threads).map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const done = (error?: Error) => {
              worker.off('message', onMessage).off('error', onError).off('exit', onExit);
              if (error) reject(error);
              else resolve();
            };
            const send = () => {
              if (next >= tasks.length) return done();
              const index = next++;
              worker.postMessage({ index, kind, task: tasks[index] });
            };
            const onMessage = (m: Reply) => {
              if (m.internal !== undefined) return done(Object.assign(new Error(`in a batch worker: ${m.internal.split('\n')[0]}`), { stack: m.internal }));
              outcomes[m.index] = m.outcome as TaskTypes[K]['outcome'];
              send();
            };
            const onError = (e: Error) => done(e);
            const onExit = (code: number) => done(new Error(`a batch worker exited with code ${code}`));
            worker.on('message', onMessage).on('error', onError).on('exit', onExit);
            send();
          }),
      ),
    );
    return outcomes;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.terminate()));
  }
}

/** One list of tasks on a pool of its own. */
export async function runTasks<K extends TaskKind>(kind: K, tasks: TaskTypes[K]['task'][], jobs: number = defaultJobs()): Promise<TaskTypes[K]['outcome'][]> {
  const pool = new TaskPool(jobs);
  try {
    return await pool.run(kind, tasks);
  } finally {
    await pool.close();
  }
}
