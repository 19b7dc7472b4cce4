import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  plugins: [react()],
  // The engine ships as one module; splitting it would not make the first paint faster.
  build: { chunkSizeWarningLimit: 1000 },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    // Tests assert behaviour, never timings: a scenario that takes 5 s on a busy 2-core machine has not failed.
    testTimeout: 60_000,
  },
})
