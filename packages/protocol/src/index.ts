export * from './client.js';
export * from './core.js';
export * from './jwt.js';
