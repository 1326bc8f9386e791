// @vitest-environment node
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { runInNewContext } from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import { VERSION } from '../src/browser'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url)
const built = (file: string) => {
  if (!existsSync(dist(file))) throw new Error(`dist/${file} is missing: run \`npm run build\` first (npm test does)`)
  return dist(file)
}

describe('the package', () => {
  it('VERSION is the package.json version', () => {
    expect(VERSION).toBe(pkg.version)
  })

  it('the ESM build exports hubspot, hubspotUtk, withoutDashboardHubSpot and VERSION', async () => {
    const esm = await import(built('index.mjs').href)
    expect(Object.keys(esm).sort()).toEqual([
      'HubSpotSettingsError',
      'VERSION',
      'hubspot',
      'hubspotUtk',
      'withoutDashboardHubSpot',
    ])
    expect(esm.VERSION).toBe(pkg.version)
  })

  it('the CJS build exports the same and requires js-cookie rather than bundling it', () => {
    const cjs = createRequire(import.meta.url)(built('index.cjs').pathname)
    expect(typeof cjs.hubspot).toBe('function')
    expect(typeof cjs.hubspotUtk).toBe('function')
    expect(readFileSync(built('index.cjs'), 'utf8')).toMatch(/require\(['"]js-cookie['"]\)/)
  })

  it('neither build bundles analytics-next', () => {
    for (const file of ['index.mjs', 'index.cjs', 'analytics-next-hubspot.iife.min.js']) {
      expect(readFileSync(built(file), 'utf8')).not.toMatch(/@segment\/analytics/)
    }
  })

  it('the CDN build defines window.AnalyticsNextHubSpot with js-cookie inside', () => {
    // A classic script's top-level var becomes a property of the global object (window).
    const sandbox: { AnalyticsNextHubSpot?: unknown } = {}
    runInNewContext(readFileSync(built('analytics-next-hubspot.iife.min.js'), 'utf8'), sandbox)
    const global = sandbox.AnalyticsNextHubSpot as { hubspot: unknown; hubspotUtk: unknown; VERSION: string }
    expect(typeof global.hubspot).toBe('function')
    expect(typeof global.hubspotUtk).toBe('function')
    expect(global.VERSION).toBe(pkg.version)
    expect(readFileSync(built('analytics-next-hubspot.iife.min.js'), 'utf8')).not.toMatch(/require\(/)
  })

  it('ships type declarations that export HubSpotSettings', () => {
    expect(readFileSync(built('browser/index.d.ts'), 'utf8')).toMatch(/HubSpotSettings/)
    expect(pkg.exports['.']).toEqual({
      types: './dist/browser/index.d.ts',
      import: './dist/index.mjs',
      require: './dist/index.cjs',
    })
  })

  it('npm pack ships the ESM, CJS, CDN and type files, and the README', () => {
    built('index.mjs')
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: new URL('..', import.meta.url),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    )
    const files = (packed.files as Array<{ path: string }>).map((f) => f.path)
    for (const file of [
      'README.md',
      'package.json',
      'dist/index.mjs',
      'dist/index.cjs',
      'dist/browser/index.d.ts',
      'dist/analytics-next-hubspot.iife.min.js',
    ]) {
      expect(files).toContain(file)
    }
    expect(
      files.filter((f) => !f.startsWith('dist/') && !['README.md', 'package.json', 'LICENSE'].includes(f)),
    ).toEqual([])
  })

  // What a site's bundler keeps of the ESM build.
  const bundle = async (contents: string, external = ['js-cookie']) => {
    built('index.mjs')
    const result = await build({
      stdin: { contents, resolveDir: new URL('..', import.meta.url).pathname, loader: 'js' },
      bundle: true,
      minify: true,
      format: 'esm',
      external,
      write: false,
      logLevel: 'silent',
    })
    return result.outputFiles[0].text
  }

  it("tree-shakes: importing only hubspot leaves hubspotUtk's code and js-cookie out", async () => {
    // js-cookie resolved and bundled, as in a site's build.
    const onlyHubspot = await bundle("export { hubspot } from './dist/index.mjs'", [])
    // (The cookie's name itself is in `hubspot`: reset deletes HubSpot's visitor cookies.)
    expect(onlyHubspot).not.toMatch(/HubSpot utk|converter/)
    expect(await bundle("export { hubspotUtk } from './dist/index.mjs'", [])).toMatch(
      /hubspotutk.*converter|converter.*hubspotutk/s,
    )
  })

  it('is free of side effects, as sideEffects: false promises: importing it for nothing keeps nothing', async () => {
    expect(pkg.sideEffects).toBe(false)
    expect((await bundle("import './dist/index.mjs'")).trim()).toBe('')
  })

  it('keeps cloud mode out of the browser: no trace of it in the CDN file or in what a bundler takes for `hubspot`', async () => {
    const markers = /hubspotCloud|rate-limiter-flexible|api\.hubapi\.com|node:crypto/
    expect(readFileSync(built('analytics-next-hubspot.iife.min.js'), 'utf8')).not.toMatch(markers)
    expect(await bundle("export * from './dist/index.mjs'", [])).not.toMatch(markers)
  })

  it('ships cloud mode as analytics-next-hubspot/node (ESM, CJS and types)', async () => {
    expect(pkg.exports['./node']).toEqual({
      types: './dist/node/index.d.ts',
      import: './dist/node.mjs',
      require: './dist/node.cjs',
    })
    const esm = await import(built('node.mjs').href)
    const cjs = createRequire(import.meta.url)(built('node.cjs').pathname)
    for (const mod of [esm, cjs]) expect(typeof mod.hubspotCloud).toBe('function')
    expect(readFileSync(built('node/index.d.ts'), 'utf8')).toMatch(/HubSpotCloudSettings/)
  })
})
