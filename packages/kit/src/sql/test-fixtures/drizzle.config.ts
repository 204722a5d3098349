import { defineConfig } from 'drizzle-kit';

// Regenerate with `pnpm exec drizzle-kit generate --config src/sql/test-fixtures/drizzle.config.ts` from packages/kit.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/sql/test-fixtures/schema.ts',
  out: './src/sql/test-fixtures/migrations',
});
