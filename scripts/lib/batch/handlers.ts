/**
 * The kinds of task a batch runs, each a pure function of plain (structured-cloneable) data plus
 * the process's SourceCache. Loaded lazily, so a worker loads only the code of the tasks it gets.
 */
import type { SourceCache } from '../../../engine/input/source-cache.ts';
import type { EvaluateOutcome, EvaluateTask } from './evaluate-run.ts';
import type { StatusTask, ValidateOutcome, ValidateTask } from './validate-case.ts';
import type { StatusRun } from '../report/status-case.ts';

export interface TaskTypes {
  evaluate: { task: EvaluateTask; outcome: EvaluateOutcome };
  'validate-case': { task: ValidateTask; outcome: ValidateOutcome };
  'status-case': { task: StatusTask; outcome: StatusRun };
}
export type TaskKind = keyof TaskTypes;
type Handler<K extends TaskKind> = (task: TaskTypes[K]['task'], cache: SourceCache) => Promise<TaskTypes[K]['outcome']> | TaskTypes[K]['outcome'];

export async function loadHandler<K extends TaskKind>(kind: K): Promise<Handler<K>> {
  switch (kind) {
    case 'evaluate': {
      const m = await import('./evaluate-run.ts');
      return ((task: EvaluateTask, cache: SourceCache) => m.evaluateTask(task, cache.read)) as Handler<K>;
    }
    case 'validate-case': {
      const m = await import('./validate-case.ts');
      return ((task: ValidateTask, cache: SourceCache) => m.validateCase(task, cache)) as Handler<K>;
    }
    case 'status-case': {
      const m = await import('./validate-case.ts');
      return ((task: StatusTask, cache: SourceCache) => m.statusCase(task, cache)) as Handler<K>;
    }
  }
  throw new Error(`unknown task kind '${kind}'`);
}
