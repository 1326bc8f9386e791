import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Every test file states its environment; the pure core runs in plain node.
    environment: 'node',
    restoreMocks: true,
  },
})
