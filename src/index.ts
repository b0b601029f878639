/**
 * syncstream: gather the lines of many writers into one bounded buffer.
 *
 * The root export is the core; each way to sync has its own subpath
 * (`syncstream/host`, ...), so loading one never loads another's dependencies.
 */
export * from './core/index.js';
