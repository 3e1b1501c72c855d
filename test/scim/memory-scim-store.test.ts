import { MemoryScimStore } from '../../src/scim/MemoryScimStore.js';
import { scimStoreContract } from './store-contract.js';

scimStoreContract('MemoryScimStore', async () => new MemoryScimStore());
