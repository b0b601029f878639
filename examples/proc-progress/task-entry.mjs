// The worker's entry point when the example runs from source under tsx: Node 20 does not
// give tsx's TypeScript hooks to worker threads, so the worker registers them itself.
// In a compiled project, start the worker on your compiled task.js instead.
import { register } from 'tsx/esm/api';

register();
await import('./task.ts');
