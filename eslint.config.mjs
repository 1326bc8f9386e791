// Lint: typescript-eslint's type-aware rules on every TypeScript file (floating and misused
// promises matter most in the async cloud engine), the plain recommended rules on JavaScript,
// and the architecture rule: the pure core imports nothing from the shells or the world.
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'e2e/.build/',
      'size/.out/',
      'bench/.out/',
      'test-results/',
      'playwright-report/',
    ],
  },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: { 'no-unused-vars': ['error', { caughtErrors: 'none', argsIgnorePattern: '^_' }] },
  },
  {
    // Pages that load the built CDN files: their globals.
    files: ['bench/pages/**/*.js', 'e2e/pages/**/*.js', 'demo/**/*.js'],
    languageOptions: { globals: { AnalyticsNext: 'readonly', AnalyticsNextHubSpot: 'readonly' } },
  },
  {
    files: ['**/*.{ts,mts}'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests read JSON and drive untyped pages: `any` there is the test's to check, not the API's.
    files: ['test/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/browser/*', '**/node/*', '../../browser', '../../node'],
              message: 'The core is pure: shells import the core, never the reverse.',
            },
            {
              group: ['@segment/*', 'js-cookie', 'rate-limiter-flexible', 'node:*'],
              message: 'The core is pure: no platform or I/O dependency.',
            },
          ],
        },
      ],
    },
  },
  {
    // Functions stay readable in one sitting: the browser and node shells and the whole core.
    files: ['src/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  prettier,
)
