import { afterEach, describe, expect, it } from 'vitest';
import { checkRealInfra } from './infra.js';

describe('checkRealInfra', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('skips real suites in embedded mode and says how to run them', async () => {
    delete process.env.UITGO_INFRA;
    delete process.env.UITGO_REQUIRE_INFRA;
    const result = await checkRealInfra('redis');
    expect(result.run).toBe(false);
    expect(result.reason).toContain('UITGO_INFRA=real');
  });

  it('turns an unreachable service into a failure when infrastructure is required', async () => {
    process.env.UITGO_INFRA = 'real';
    process.env.UITGO_REQUIRE_INFRA = '1';
    process.env.KAFKA_BROKERS = '127.0.0.1:1';
    await expect(checkRealInfra('kafka')).rejects.toThrow(/kafka at 127\.0\.0\.1:1/);
  });

  it('skips with the reason when a service is unreachable and not required', async () => {
    process.env.UITGO_INFRA = 'real';
    delete process.env.UITGO_REQUIRE_INFRA;
    process.env.S3_ENDPOINT = 'http://127.0.0.1:1';
    const result = await checkRealInfra('s3');
    expect(result).toEqual({ run: false, reason: expect.stringContaining('pnpm infra:up') });
  });
});
