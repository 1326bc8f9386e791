import nodeResolve from '@rollup/plugin-node-resolve'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'

// Type imports of analytics-next vanish at compile time; js-cookie stays a dependency for bundlers.
const external = ['js-cookie', 'rate-limiter-flexible', /^node:/, /^@segment\//]
const compilerOptions = { target: 'ES2020', noEmit: false, types: ['node'], rootDir: 'src' }

export default [
  {
    // The browser entry, and `analytics-next-hubspot/node` (cloud mode), which the browser builds never import.
    input: { index: 'src/browser/index.ts', node: 'src/node/index.ts' },
    external,
    output: [
      // One file per module, so that a bundler drops utk.mjs, and with it js-cookie, when
      // a site imports only `hubspot` (js-cookie does not declare itself free of side effects).
      { dir: 'dist', format: 'es', preserveModules: true, entryFileNames: '[name].mjs', sourcemap: true },
      {
        dir: 'dist',
        format: 'cjs',
        entryFileNames: '[name].cjs',
        chunkFileNames: 'shared-[hash].cjs',
        exports: 'named',
        sourcemap: true,
      },
    ],
    plugins: [
      typescript({
        ...compilerOptions,
        declaration: true,
        declarationDir: 'dist',
        outDir: 'dist',
      }),
    ],
  },
  {
    // The CDN build: one file, js-cookie included, defines window.AnalyticsNextHubSpot.
    input: 'src/browser/cdn.ts',
    output: {
      file: 'dist/analytics-next-hubspot.iife.min.js',
      format: 'iife',
      name: 'AnalyticsNextHubSpot',
      sourcemap: true,
    },
    plugins: [
      nodeResolve({ browser: true }),
      typescript({ ...compilerOptions, declaration: false, outDir: 'dist' }),
      terser({ format: { comments: false } }),
    ],
  },
]
