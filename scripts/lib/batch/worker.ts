/**
 * A batch worker thread: receives `{ index, kind, task }`, runs the task's handler with this
 * thread's SourceCache and posts `{ index, outcome }` back, or `{ index, internal }` (the stack of
 * an internal error; user errors are outcomes).
 */
import { parentPort } from 'node:worker_threads';
import { SourceCache } from '../../../engine/input/source-cache.ts';
import { loadHandler, type TaskKind } from './handlers.ts';

const cache = new SourceCache();
const port = parentPort!;

port.on('message', async (message: { index: number; kind: TaskKind; task: never }) => {
  try {
    const handler = await loadHandler(message.kind);
    port.postMessage({ index: message.index, outcome: await handler(message.task, cache) });
  } catch (e) {
    port.postMessage({ index: message.index, internal: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
});
