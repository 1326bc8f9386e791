// Packs the package and installs it into throwaway projects, as a user would, but offline and
// in a second: the tarball is unpacked into node_modules by hand, and the peers it needs are
// symlinked from this repo's node_modules. Each *.check.ts file then works on that install.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { MISUSE, PROJECTS, projectDirName, tsconfig, USAGE } from './fixtures'
import { ROOT } from '../../e2e/readme'

// Installed beside the package (peers, and the dependencies npm would install with it).
// rate-limiter-flexible, an optional peer, is not: see package.check.ts.
const PEERS = ['@segment/analytics-next', '@segment/analytics-node', '@types/node', 'js-cookie', 'uuid']

declare module 'vitest' {
  export interface ProvidedContext {
    /** Holds the tarball, node_modules with the package unpacked, and one folder per project. */
    consumerDir: string
    tarball: string
    packedFiles: string[]
  }
}

/** README's code block after `<!-- snippet:NAME -->`, verbatim (the convention of e2e/readme.ts). */
function readmeSnippet(name: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const match = new RegExp(`<!-- snippet:${name} -->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(readme)
  if (!match) throw new Error(`README.md has no <!-- snippet:${name} --> code block`)
  return match[1]
}

export default function setup({ provide }: TestProject): () => void {
  if (!existsSync(join(ROOT, 'dist/index.mjs'))) throw new Error('dist/ is missing: run `npm run build` first')
  const dir = mkdtempSync(join(tmpdir(), 'analytics-next-hubspot-consumer-'))
  // dist/ is fresh (npm test builds it first): no prepack rebuild.
  const packed = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const [info] = JSON.parse(packed) as Array<{ filename: string; files: Array<{ path: string }> }>
  const tarball = join(dir, info.filename)

  const installed = join(dir, 'node_modules/analytics-next-hubspot')
  mkdirSync(installed, { recursive: true })
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'])
  for (const peer of PEERS) {
    mkdirSync(join(dir, 'node_modules', peer, '..'), { recursive: true })
    symlinkSync(join(ROOT, 'node_modules', peer), join(dir, 'node_modules', peer), 'dir')
  }

  const [browser, server] = [readmeSnippet('npm'), readmeSnippet('server')]
  for (const project of PROJECTS) {
    for (const skipLibCheck of [true, false]) {
      const at = join(dir, projectDirName(project, skipLibCheck))
      mkdirSync(at)
      writeFileSync(join(at, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: project.type }))
      writeFileSync(join(at, 'tsconfig.json'), JSON.stringify(tsconfig(project, skipLibCheck), null, 2))
      for (const file of project.files) writeFileSync(join(at, file), file.startsWith('usage') ? USAGE : MISUSE)
      // README's examples, as written. The server one uses top-level await: an ES module (.mts) everywhere.
      writeFileSync(join(at, 'readme-npm.ts'), browser)
      writeFileSync(join(at, 'readme-server.mts'), server)
    }
  }

  provide('consumerDir', dir)
  provide('tarball', tarball)
  provide(
    'packedFiles',
    info.files.map((f) => f.path),
  )
  return () => {
    if (!process.env.KEEP_CONSUMER_DIR) rmSync(dir, { recursive: true, force: true })
  }
}
