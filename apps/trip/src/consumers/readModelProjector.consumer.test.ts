import { MemoryTripReadModel } from '../adapters/memoryTripReadModel.js';
import { projectorRedeliveryScenarios } from '../test/projectorScenarios.js';

projectorRedeliveryScenarios('in-process', async () => new MemoryTripReadModel());
