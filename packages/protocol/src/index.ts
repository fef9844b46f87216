export * from './core.js';
export * from './jwt.js';
