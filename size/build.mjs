// Builds what size-limit measures: the ESM entry as a bundler would include it in a site's
// production build (minified, `process.env.NODE_ENV` defined as "production", so that the full
// development messages are left out; js-cookie left to the site's bundle), once for `hubspot`
// alone and once for everything.
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const entries = {
  'hubspot.min.mjs': "export { hubspot } from './dist/index.mjs'",
  'index.min.mjs': "export * from './dist/index.mjs'",
}
for (const [file, contents] of Object.entries(entries)) {
  await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    outfile: `${root}/size/.out/${file}`,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    external: ['js-cookie'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
}
