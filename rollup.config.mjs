import { readFileSync, rmSync } from 'node:fs'
import nodeResolve from '@rollup/plugin-node-resolve'
import replace from '@rollup/plugin-replace'
import terser from '@rollup/plugin-terser'
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'
import { transform } from 'esbuild'

// A fresh dist/ every build: a file left from an older layout would otherwise be packed.
rmSync('dist', { recursive: true, force: true })

const pkg = JSON.parse(readFileSync('package.json', 'utf8'))
// Type imports of analytics-next vanish at compile time; js-cookie stays a dependency for bundlers.
const external = ['js-cookie', 'uuid', 'rate-limiter-flexible', /^node:/, /^@segment\//]
// `noCheck`: the build only emits; `npm run typecheck` is what type-checks (twice as fast a build).
const compilerOptions = {
  target: 'ES2020',
  noEmit: false,
  types: ['node'],
  rootDir: 'src',
  declaration: false,
  noCheck: true,
}
// Node's own CommonJS equivalent, instead of Rollup's browser-aware shim.
const cjsImportMetaUrl = {
  name: 'cjs-import-meta-url',
  resolveImportMeta: (property, { format }) =>
    format === 'cjs' && property === 'url' ? `require('node:url').pathToFileURL(__filename).href` : null,
}
// TypeScript to JavaScript for the CDN files: esbuild strips the types of a module in about a
// millisecond, where the TypeScript plugin builds a program of the whole project for each of
// the six builds (12 s of the build, now 2 s; same bytes out of terser). The ESM and CommonJS
// builds keep the TypeScript plugin, whose output keeps the source's comments.
const stripTypes = {
  name: 'strip-types',
  transform: async (code, id) =>
    id.endsWith('.ts') ? transform(code, { loader: 'ts', target: 'es2020', sourcemap: true, sourcefile: id }) : null,
}
const entries = { index: 'src/browser/index.ts', node: 'src/node/index.ts' }

export default [
  {
    // The browser entry, and `analytics-next-hubspot/node` (cloud mode), which the browser builds never import.
    input: entries,
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
    plugins: [typescript({ ...compilerOptions, outDir: 'dist' }), cjsImportMetaUrl],
  },
  // Types: one self-contained declaration file per entry and per module system (.d.mts next to
  // the .mjs, .d.cts next to the .cjs), so that no relative specifier has to resolve under
  // node16/nodenext and a CommonJS consumer is not handed ESM types. Built per entry, so that
  // neither needs a shared declaration chunk.
  ...Object.entries(entries).map(([name, input]) => ({
    input,
    external,
    output: [
      { file: `dist/${name}.d.mts`, format: 'es' },
      { file: `dist/${name}.d.cts`, format: 'es' },
    ],
    plugins: [dts({ tsconfig: 'tsconfig.json', compilerOptions: { types: ['node'] } })],
  })),
  // The CDN files, each for production (`.min.js`: short messages, minified) and development
  // (`.js`: every message in full). The core defines window.AnalyticsNextHubSpot; the forms file
  // adds hubspotForms to it, the utk file hubspotUtk with js-cookie (`extend`: they may load in
  // any order).
  ...cdnBuilds('src/browser/cdn.ts', 'analytics-next-hubspot'),
  ...cdnBuilds('src/browser/cdn-forms.ts', 'analytics-next-hubspot-forms'),
  ...cdnBuilds('src/browser/cdn-utk.ts', 'analytics-next-hubspot-utk'),
]

function cdnBuilds(input, name) {
  return [true, false].map((production) => ({
    input,
    output: {
      file: `dist/${name}.iife${production ? '.min' : ''}.js`,
      format: 'iife',
      name: 'AnalyticsNextHubSpot',
      extend: true,
      sourcemap: true,
      banner: `/*! ${pkg.name} v${pkg.version} | ${pkg.license} */`,
    },
    plugins: [
      nodeResolve({ browser: true, extensions: ['.ts', '.mjs', '.js'] }),
      stripTypes,
      replace({
        preventAssignment: true,
        values: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
      }),
      // Keeps `/*! … */` comments: this package's banner and js-cookie's licence notice. ES2020 output
      // (the build's target) and three passes: 70 B less gzip than terser's defaults.
      production && terser({ ecma: 2020, compress: { passes: 3 }, format: { comments: /^!/ } }),
    ],
  }))
}
