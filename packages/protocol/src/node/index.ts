/**
 * Node-only fast path of the protocol seam (`@warden/protocol/node`): signing and verifying
 * with `node:crypto` `KeyObject`s made once per key, behind the same checks and errors as
 * `signJwt`, `importKeySet`, `verifyCompactJws` and `verifyJwt`. Not for browsers.
 */
export { createNodeSigner, type NodeSigner } from './create-node-signer.js';
export { createSealer, type Sealer, type SealerOptions } from './create-sealer.js';
export { importNodeKeySet } from './node-key-set.js';
export { verifyCompactJwsNode } from './verify-jws-node.js';
export { verifyJwtNode } from './verify-jwt-node.js';
