import { MemoryStore } from '../../src/store/MemoryStore.js';
import { FakeClock } from '../helpers/clock.js';
import { storeContract } from './contract.js';

storeContract('MemoryStore', async () => {
  const clock = new FakeClock();
  return { store: new MemoryStore({ clock }), elapse: async (ms) => clock.advance(ms) };
});
