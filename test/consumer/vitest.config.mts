import { defineConfig } from 'vitest/config'

// `npm run test:package`: the packed package, checked as its users get it (see setup.ts). A
// stage of its own, after the unit tests, so that its compilers do not slow theirs.
export default defineConfig({
  test: {
    include: ['test/consumer/*.check.ts'],
    globalSetup: ['test/consumer/setup.ts'],
    environment: 'node',
    testTimeout: 30_000,
  },
})
