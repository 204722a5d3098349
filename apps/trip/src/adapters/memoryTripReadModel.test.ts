import { MemoryTripReadModel } from './memoryTripReadModel.js';
import { tripReadModelContract } from './tripReadModel.contract.js';

tripReadModelContract('in-process', async () => new MemoryTripReadModel());
