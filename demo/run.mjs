// `npm run demo`: builds the plugin when dist/ is missing or older than src/, then serves the demo.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startServer } from './server.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
// The page loads the three CDN files: the core one, the forms one and the utk one.
const bundles = ['', '-forms', '-utk'].map((part) => join(root, 'dist', `analytics-next-hubspot${part}.iife.min.js`))
const newestSource = Math.max(
  ...readdirSync(join(root, 'src'), { recursive: true }).map((f) => statSync(join(root, 'src', f)).mtimeMs),
)

if (bundles.some((bundle) => !existsSync(bundle) || statSync(bundle).mtimeMs < newestSource)) {
  console.log('Building the plugin (npm run build)…')
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'rollup', 'dist', 'bin', 'rollup'), '-c', '--silent'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const port = Number(process.env.PORT || 4173)
const hubId = process.env.HUBSPOT_HUB_ID
const server = await startServer({ port })
console.log(`Demo: ${server.url}/`)
console.log(
  hubId
    ? `Using HubSpot's real tracking script for account ${hubId}: hits show up in HubSpot, not on the page.`
    : 'Using the local HubSpot stand-in: no account and no network needed. Ctrl+C to stop.',
)
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close().then(() => process.exit(0)))
