// @vitest-environment node
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
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

  it('the ESM build exports hubspot, hubspotUtk, hubspotForms, withoutDashboardHubSpot and VERSION', async () => {
    const esm = await import(built('index.mjs').href)
    expect(Object.keys(esm).sort()).toEqual([
      'HubSpotSettingsError',
      'VERSION',
      'hubspot',
      'hubspotForms',
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

  // The CDN files: the core, and the forms and utk files that add their plugin to its global.
  const CDN = ['analytics-next-hubspot', 'analytics-next-hubspot-forms', 'analytics-next-hubspot-utk']

  it('the CDN build defines window.AnalyticsNextHubSpot; its forms and utk files add hubspotForms and hubspotUtk, in any order', async () => {
    const esm = Object.keys(await import(built('index.mjs').href)).sort()
    const [core, forms, utk] = CDN.map((name) => readFileSync(built(`${name}.iife.min.js`), 'utf8'))
    for (const files of [
      [core, forms, utk],
      [utk, forms, core],
      [forms, core, utk],
    ]) {
      // A classic script's top-level `this` is the global object (window).
      const sandbox: { AnalyticsNextHubSpot?: unknown } = {}
      for (const file of files) runInNewContext(file, sandbox)
      const global = sandbox.AnalyticsNextHubSpot as Record<string, unknown>
      // Together, the three files give what the ESM build exports.
      expect(Object.keys(global).sort()).toEqual(esm)
      expect(global.VERSION).toBe(pkg.version)
    }
    for (const file of [core, forms, utk]) expect(file).not.toMatch(/require\(/)
  })

  it('the CDN files for development (.iife.js) define the same globals as those for production (.iife.min.js)', () => {
    for (const name of CDN) {
      const keys = (file: string) => {
        const sandbox: { AnalyticsNextHubSpot?: object } = {}
        runInNewContext(readFileSync(built(file), 'utf8'), sandbox)
        return Object.keys(sandbox.AnalyticsNextHubSpot ?? {}).sort()
      }
      expect(keys(`${name}.iife.js`)).toEqual(keys(`${name}.iife.min.js`))
    }
  })

  it('maps each entry to its own types per module system, types first: .d.mts for import, .d.cts for require', () => {
    for (const [entry, name] of [
      ['.', 'index'],
      ['./node', 'node'],
    ]) {
      expect(pkg.exports[entry]).toEqual({
        import: { types: `./dist/${name}.d.mts`, default: `./dist/${name}.mjs` },
        require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
      })
      for (const condition of ['import', 'require']) {
        expect(Object.keys(pkg.exports[entry][condition])).toEqual(['types', 'default'])
      }
    }
    expect(readFileSync(built('index.d.mts'), 'utf8')).toMatch(/type HubSpotSettings\b/)
    expect(readFileSync(built('node.d.cts'), 'utf8')).toMatch(/interface HubSpotCloudSettings\b/)
  })

  it('declaration files are self-contained: no relative import that node16 would have to resolve', () => {
    for (const file of ['index.d.mts', 'index.d.cts', 'node.d.mts', 'node.d.cts']) {
      expect(readFileSync(built(file), 'utf8')).not.toMatch(/from ['"]\./)
    }
  })

  it('main, module, types and node/package.json (for node10 resolution) point at built files', () => {
    for (const field of ['main', 'module', 'types']) built(pkg[field].replace('./dist/', ''))
    const stub = JSON.parse(readFileSync(new URL('../node/package.json', import.meta.url), 'utf8'))
    expect(stub).toEqual({ main: '../dist/node.cjs', module: '../dist/node.mjs', types: '../dist/node.d.cts' })
  })

  it('prepack builds dist/ and checks the README integrity hashes; repository, homepage and bugs are set', () => {
    expect(pkg.scripts.prepack).toBe('npm run build && node scripts/sri.mjs --check')
    expect(pkg.repository).toEqual({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/) })
    expect(pkg.homepage).toMatch(/^https:\/\/github\.com\/.+#readme$/)
    expect(pkg.bugs).toEqual({ url: expect.stringMatching(/^https:\/\/github\.com\/.+\/issues$/) })
  })

  it("the CHANGELOG's latest entry is this version", () => {
    const changelog = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8')
    expect(/^## \[?(\d+\.\d+\.\d+[^\]\s]*)/m.exec(changelog)?.[1]).toBe(pkg.version)
  })

  it("the CDN utk file keeps js-cookie's licence notice; each CDN file has this package's own; the core file has no js-cookie", () => {
    const cookie = JSON.parse(readFileSync(new URL('../node_modules/js-cookie/package.json', import.meta.url), 'utf8'))
    for (const name of CDN) {
      const file = readFileSync(built(`${name}.iife.min.js`), 'utf8')
      expect(file.startsWith(`/*! analytics-next-hubspot v${pkg.version} | MIT */\n`)).toBe(true)
      expect(file.includes(`/*! js-cookie v${cookie.version} | MIT */`), name).toBe(name.endsWith('-utk'))
    }
  })

  it("README's CDN tags carry the SRI hash of the very file they load, and crossorigin", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
    const tags = [...readme.matchAll(/<script src="https:\/\/unpkg\.com\/([^"]+)"([^>]*)>/g)]
    expect(tags.length).toBe(5)
    // Each CDN file has its tag: a CDN site finds every plugin it can add.
    for (const name of CDN)
      expect(
        tags.some(([, path]) => path.endsWith(`/dist/${name}.iife.min.js`)),
        name,
      ).toBe(true)
    for (const [, path, attributes] of tags) {
      // The files the e2e install pages are served for these URLs.
      const file = path.startsWith('analytics-next-hubspot@')
        ? dist(path.replace(/^[^/]+\/dist\//, ''))
        : new URL(`../node_modules/@segment/analytics-next/${path.replace(/^[^/]+\/[^/]+\//, '')}`, import.meta.url)
      const hash = `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`
      expect(attributes, `${path}: run \`npm run sri\` after \`npm run build\` to update README's hashes`).toBe(
        ` integrity="${hash}" crossorigin="anonymous"`,
      )
    }
  })

  it('every built script has a source map that resolves, with the sources inside it (src/ is not shipped)', () => {
    const scripts = readdirSync(built(''), { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.(mjs|cjs|js)$/.test(f),
    )
    expect(scripts.length).toBeGreaterThan(20)
    for (const file of scripts) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(built(file), 'utf8'))?.[1]
      expect(url, file).toBe(`${file.split('/').pop()}.map`)
      const map = JSON.parse(readFileSync(built(file.replace(/[^/]+$/, url!)), 'utf8'))
      expect(map.sourcesContent.length, file).toBe(map.sources.length)
      expect(
        map.sourcesContent.every((s: unknown) => typeof s === 'string' && s.length > 0),
        file,
      ).toBe(true)
    }
    const cdn = JSON.parse(readFileSync(built('analytics-next-hubspot.iife.min.js.map'), 'utf8'))
    expect(cdn.sources).toContain('../src/browser/plugin.ts')
    const utk = JSON.parse(readFileSync(built('analytics-next-hubspot-utk.iife.min.js.map'), 'utf8'))
    expect(utk.sources).toEqual(
      expect.arrayContaining(['../src/browser/utk.ts', expect.stringMatching(/js-cookie\/dist\/js\.cookie\.mjs$/)]),
    )
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

  it('tree-shakes: importing only hubspot leaves hubspotForms out; importing hubspotForms keeps it', async () => {
    const markers = /hsFormCallback|hs-form-event|HubSpotFormsV4|__analyticsNextHubSpotForms/
    expect(await bundle("export { hubspot } from './dist/index.mjs'")).not.toMatch(markers)
    const onlyForms = await bundle("export { hubspotForms } from './dist/index.mjs'")
    expect(onlyForms).toMatch(/hsFormCallback/)
    expect(onlyForms).toMatch(/hs-form-event:on-submission:success/)
    // Nor does the forms plugin bring HubSpot's destination along.
    expect(onlyForms).not.toMatch(/hs-script-loader|_hsq/)
  })

  it("a production bundle keeps none of the development messages' text, and the CDN's .min.js neither", async () => {
    // One phrase of each kind: a setting's expected form, an unknown setting, a warning, a debug note.
    const development = /Account Management|no such setting|blocked by an ad blocker|nothing sent/
    // (esbuild minifying for browsers defines process.env.NODE_ENV as "production", as a site's build does.)
    const production = await bundle("export * from './dist/index.mjs'")
    expect(production).not.toMatch(development)
    expect(production).toContain('github.com/analytics-next-hubspot/analytics-next-hubspot#')
    expect(readFileSync(built('analytics-next-hubspot.iife.min.js'), 'utf8')).not.toMatch(development)
    expect(readFileSync(built('analytics-next-hubspot.iife.js'), 'utf8')).toMatch(development)
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

  it('ships cloud mode as analytics-next-hubspot/node (ESM and CJS)', async () => {
    const esm = await import(built('node.mjs').href)
    const cjs = createRequire(import.meta.url)(built('node.cjs').pathname)
    for (const mod of [esm, cjs]) expect(typeof mod.hubspotCloud).toBe('function')
  })
})
