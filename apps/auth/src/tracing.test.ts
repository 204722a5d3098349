import { describe } from 'vitest';
import { authTracingSuite } from './test/authTracingSuite.js';
import { startEmbeddedAuth } from './test/startAuth.js';

describe('auth spans (embedded: PGlite, in-process bus)', () => {
  authTracingSuite(startEmbeddedAuth, { redis: false });
});
