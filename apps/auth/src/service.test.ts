import { describe } from 'vitest';
import { authServiceSuite } from './test/authServiceSuite.js';
import { startEmbeddedAuth } from './test/startAuth.js';

describe('auth service over gRPC (embedded: in-memory PGlite)', () => {
  authServiceSuite(startEmbeddedAuth);
});
