export { type BffApi, type BffConfig, type BffOptions, bffDefaults } from './bff-options.js';
export { type Bff, createBff } from './create-bff.js';
export type { BffSessionData, StoredTokens } from './session-tokens.js';
