import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // SQLite files and the PostgreSQL schemas are per test file; files may run in parallel.
    pool: 'forks',
  },
});
