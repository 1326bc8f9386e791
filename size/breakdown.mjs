// `npm run size:breakdown`: which parts of the source cost what, for `import { hubspot }` and
// the CDN files, as Markdown tables (README's "Size" section is made from them). Each module's
// minified bytes are exact (esbuild's metafile); its gzip share is estimated as its part of the
// minified bytes times the gzip size of the whole, since gzip cannot be split by module.
// `node size/breakdown.mjs DIR` measures another checkout's src/ (e.g. an older commit);
// NODE_ENV=development measures the development build.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const src = process.argv[2] ? `${process.argv[2]}/src` : `${root}/src`

const cdnCore = `export { hubspot, withoutDashboardHubSpot, VERSION, HubSpotSettingsError } from '${src}/browser/index.ts'
import { completeSnippet } from '${src}/browser/snippet.ts'
completeSnippet(window)`
const entries = [
  ['`import { hubspot }`, js-cookie external', `export { hubspot } from '${src}/browser/index.ts'`, ['js-cookie']],
  ['CDN core file (hubspot, withoutDashboardHubSpot)', cdnCore, []],
  ['CDN forms file (hubspotForms)', `export { hubspotForms } from '${src}/browser/forms.ts'`, []],
  ['CDN utk file (hubspotUtk, js-cookie inside)', `export { hubspotUtk } from '${src}/browser/utk.ts'`, []],
]

const pureSources = {
  name: 'pure-sources',
  setup(b) {
    b.onResolve({ filter: /^\./ }, async (args) => {
      if (args.pluginData) return undefined
      const { importer, namespace, resolveDir, kind } = args
      const resolved = await b.resolve(args.path, { importer, namespace, resolveDir, kind, pluginData: true })
      return { path: resolved.path, sideEffects: false }
    })
  },
}

for (const [title, contents, external] of entries) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    external,
    nodePaths: [`${root}/node_modules`],
    // As a site's production build has it (esbuild's own default when it minifies for browsers).
    define: { 'process.env.NODE_ENV': JSON.stringify(process.env.NODE_ENV ?? 'production') },
    // The package says `"sideEffects": false`; a bundler takes its dist/ that way, so this takes src/ so.
    plugins: [pureSources],
    metafile: true,
    write: false,
    logLevel: 'error',
  })
  const code = result.outputFiles[0].text
  const gzip = gzipSync(code, { level: 9 }).length
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
    .map(([path, { bytesInOutput }]) => [path.replace(/^.*?(src\/|node_modules\/)/, '$1'), bytesInOutput])
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
  // What the code costs without its text: every string literal emptied (a measure, not a build).
  const bare = gzipSync(code.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""'), { level: 9 })
  console.log(`\n${title}: ${code.length.toLocaleString('en')} B minified, ${gzip.toLocaleString('en')} B gzip`)
  console.log(`(${bare.length.toLocaleString('en')} B gzip with every string literal emptied)\n`)
  console.log('| module | minified | gzip share |\n| --- | ---: | ---: |')
  for (const [path, bytes] of inputs) {
    console.log(`| \`${path}\` | ${bytes.toLocaleString('en')} | ${Math.round((bytes / code.length) * gzip)} |`)
  }
}
