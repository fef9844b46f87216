import { createMemoryStore } from '../src/memory-store.js';
import { runSessionStoreContract } from './store-contract.js';

runSessionStoreContract('memory', async () => createMemoryStore());
