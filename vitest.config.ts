import { defineConfig } from 'vitest/config';

const conditions = ['@uitgo/source', 'node'];

const project = (name: string, root: string) => ({
  extends: true as const,
  test: { name, include: [`${root}/**/*.test.ts`] },
});

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', './scripts/vitest/realInfraReporter.ts'],
    projects: [
      project('@uitgo/contracts', 'packages/contracts/src'),
      project('@uitgo/grpc', 'packages/grpc/src'),
      project('@uitgo/kit', 'packages/kit/src'),
      project('@uitgo/gateway', 'apps/gateway/src'),
      project('@uitgo/auth', 'apps/auth/src'),
      project('@uitgo/user', 'apps/user/src'),
      project('@uitgo/driver', 'apps/driver/src'),
      project('@uitgo/trip', 'apps/trip/src'),
      project('@uitgo/platform', 'packages/platform/src'),
      project('@uitgo/tests', 'tests'),
    ],
  },
});
