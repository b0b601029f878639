/** Redirection of the process's standard streams into a buffer or mirror, for a scope. */
export * from './stdio.js';
