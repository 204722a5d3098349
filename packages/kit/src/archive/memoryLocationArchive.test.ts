import { describe, expect, it } from 'vitest';
import { CONTRACT_NOW, locationArchiveContract } from './locationArchive.contract.js';
import { MemoryLocationArchive } from './memoryLocationArchive.js';

locationArchiveContract('memory', async () => new MemoryLocationArchive({ clock: () => CONTRACT_NOW }));

describe('MemoryLocationArchive retention', () => {
  it('hides points once the clock passes their retention, and sweeps their items', async () => {
    let now = Date.parse('2025-06-15T12:00:00Z');
    const archive = new MemoryLocationArchive({ retentionMs: 3_600_000, clock: () => now });
    const recordedAt = new Date('2025-06-15T11:30:00Z');
    await archive.putBatch([{ driverId: 'd1', lat: 10, lng: 106, recordedAt }]);
    expect(await archive.track('d1', recordedAt, recordedAt)).toHaveLength(1);
    now += 30 * 60_000;
    expect(await archive.track('d1', recordedAt, recordedAt)).toEqual([]);
    expect(archive.sweep()).toBe(2); // the point's segment and its sighting
    expect(archive.sweep()).toBe(0);
    await archive.close();
  });
});
