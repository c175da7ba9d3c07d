// A batch worker started from the TypeScript sources (tests, or the CLI when dist/ is stale):
// registers tsx in this thread, then runs the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
