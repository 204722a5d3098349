import { geoIndexContract } from './geoIndex.contract.js';
import { MemoryGeoIndex } from './memoryGeoIndex.js';

geoIndexContract('memory', async () => {
  let now = Date.now();
  const index = new MemoryGeoIndex({ clock: () => now });
  return {
    index,
    now: () => now,
    advance: (ms) => void (now += ms),
    elapseTtl: async (ms) => void (now += ms),
    shortTtlMs: 1_000,
    close: () => index.close(),
  };
});
