export * from './constants.js';
export * from './errors.js';
export * from './reader.js';
export * from './sections.js';
export * from './modinfo.js';
