// `npm run sri`: writes the Subresource Integrity hash (sha384) of each file README's CDN tags
// load from unpkg, computed from the file itself: this package's from dist/ (run it after
// `npm run build`, as the build changes with every source change), analytics-next's from
// node_modules (unpkg serves the npm tarball's files). `--check` only verifies (prepack runs it).
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const readmePath = `${root}/README.md`
const TAG = /<script src="(https:\/\/unpkg\.com\/([^"]+))"[^>]*><\/script>/g

function localFile(path) {
  const ours = /^analytics-next-hubspot@[^/]+\/(dist\/.+)$/.exec(path)
  if (ours) return `${root}/${ours[1]}`
  const segment = /^@segment\/analytics-next@[^/]+\/(dist\/.+)$/.exec(path)
  if (segment) return `${root}/node_modules/@segment/analytics-next/${segment[1]}`
  throw new Error(`README loads ${path} from unpkg: scripts/sri.mjs does not know its local file`)
}

const integrity = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`

const readme = readFileSync(readmePath, 'utf8')
const updated = readme.replace(
  TAG,
  (_, url, path) => `<script src="${url}" integrity="${integrity(localFile(path))}" crossorigin="anonymous"></script>`,
)
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error("README's integrity hashes do not match the files they load: run `npm run build && npm run sri`")
    process.exit(1)
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated)
  console.log('README.md: integrity hashes updated')
} else {
  console.log('README.md: integrity hashes already up to date')
}
