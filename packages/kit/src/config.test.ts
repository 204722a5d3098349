import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { baseConfigSchema, ConfigError, loadConfig } from './config.js';

const schema = baseConfigSchema.extend({
  AUTH_DATABASE_URL: z.url(),
  AUTH_GRPC_PORT: z.coerce.number().int().min(1).max(65_535).default(50051),
});

describe('loadConfig', () => {
  it('applies defaults and coerces numbers', () => {
    const config = loadConfig(schema, { AUTH_DATABASE_URL: 'postgres://u@h:5432/db' });
    expect(config).toMatchObject({ UITGO_MODE: 'embedded', LOG_LEVEL: 'info', AUTH_GRPC_PORT: 50051 });
  });

  it('names a missing variable in one line', () => {
    expect(() => loadConfig(schema, {})).toThrow(new ConfigError('Invalid configuration: AUTH_DATABASE_URL is missing'));
  });

  it('names a bad variable and why', () => {
    const attempt = () => loadConfig(schema, { AUTH_DATABASE_URL: 'postgres://u@h/db', AUTH_GRPC_PORT: 'eighty' });
    expect(attempt).toThrow(/^Invalid configuration: AUTH_GRPC_PORT is invalid: /);
    expect(attempt).not.toThrow(/\n/);
  });
});
