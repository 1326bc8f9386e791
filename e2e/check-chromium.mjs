// Before the e2e suite: one clear line when there is no browser to run it in.
import { existsSync } from 'node:fs'

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
if (!existsSync(path)) {
  console.error(
    `e2e: Chromium not found at ${path}: run \`apt-get install -y chromium\` (Debian) or set CHROMIUM_PATH=/path/to/chromium.`,
  )
  process.exit(1)
}
