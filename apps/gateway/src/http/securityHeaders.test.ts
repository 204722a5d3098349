import { describe, expect, it } from 'vitest';
import { securityHeaders } from './securityHeaders.js';

describe('securityHeaders', () => {
  it('computes helmet\'s headers once, as configured', () => {
    const headers = securityHeaders({ strictTransportSecurity: { maxAge: 600 }, xFrameOptions: { action: 'deny' } });
    expect(headers).toMatchObject({
      'strict-transport-security': 'max-age=600; includeSubDomains',
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
    });
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(securityHeaders({ strictTransportSecurity: false })).not.toHaveProperty('strict-transport-security');
  });
});
