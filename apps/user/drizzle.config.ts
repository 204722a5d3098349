import { defineConfig } from 'drizzle-kit';

// `pnpm db:generate` writes the migrations of the user service's schema; never edit them by hand.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './drizzle',
  schemaFilter: ['user'],
});
