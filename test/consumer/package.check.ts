// @vitest-environment node
// The tarball as npm would publish it, judged by arethetypeswrong and publint, and installed
// without the optional peer rate-limiter-flexible, as a browser-only site installs it.
import { execFile } from 'node:child_process'
import { readFileSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { ROOT } from '../../e2e/readme'

const run = (args: string[]): Promise<string> =>
  new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: inject('consumerDir'), encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve(`${stdout}${stderr}${error ? `\n(exit ${String(error.code)})` : ''}`),
    )
  })

describe('the packed package', () => {
  it('holds dist, the node/ entry for node10, README, CHANGELOG and LICENSE: no source, test or stray file', () => {
    const files = inject('packedFiles')
    expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'node/package.json',
      'package.json',
    ])
    expect(files.filter((f) => /\.(test|spec|check)\.|(^|\/)(src|test|e2e)\/|(?<!\.d\.[cm])\.ts$/.test(f))).toEqual([])
    for (const types of ['index.d.mts', 'index.d.cts', 'node.d.mts', 'node.d.cts']) {
      expect(files).toContain(`dist/${types}`)
    }
  })

  it('arethetypeswrong finds no problem in . and ./node under node10, node16 (CJS and ESM) and bundler', async () => {
    // JSON, not the printed table: attw picks its layout from the terminal's width.
    const output = await run([
      join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'),
      '--format',
      'json',
      inject('tarball'),
    ])
    const report = JSON.parse(output) as {
      analysis: {
        problems: unknown[]
        entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>
      }
    }
    expect(report.analysis.problems, output).toEqual([])
    const expected = {
      node10: /\.d\.c?ts$/,
      'node16-cjs': /\.d\.cts$/,
      'node16-esm': /\.d\.mts$/,
      bundler: /\.d\.mts$/,
    }
    for (const entry of ['.', './node']) {
      const { resolutions } = report.analysis.entrypoints[entry]
      for (const [kind, file] of Object.entries(expected)) {
        expect(resolutions[kind]?.resolution?.fileName, `${entry} under ${kind}`).toMatch(file)
      }
    }
  })

  it('publint --strict finds nothing, not even a suggestion', async () => {
    const output = await run([join(ROOT, 'node_modules/publint/src/cli.js'), '--strict', inject('tarball')])
    expect(output).toMatch(/All good!/)
    expect(output).not.toMatch(/exit \d/)
  })
})

describe('installed without the optional peer rate-limiter-flexible (a browser-only install)', () => {
  // In Node, from an ES module and from CommonJS: the browser entry, then cloud mode.
  const tryBoth = (format: 'esm' | 'cjs') =>
    run([
      ...(format === 'esm' ? ['--input-type=module'] : []),
      '-e',
      `${
        format === 'esm'
          ? `const { hubspot } = await import('analytics-next-hubspot'); const { hubspotCloud } = await import('analytics-next-hubspot/node')`
          : `const { hubspot } = require('analytics-next-hubspot'); const { hubspotCloud } = require('analytics-next-hubspot/node')`
      }
      console.log(typeof hubspot({ hubId: '1234567' }).track)
      try { hubspotCloud({ accessToken: 'pat-na1-0', hubId: '1234567' }); console.log('cloud mode ready') }
      catch (error) { console.log(error.name + ': ' + error.message) }
      process.exit(0)`,
    ])

  it('the browser entry loads, and cloud mode names the missing package and its install command (ESM and CJS)', async () => {
    for (const format of ['esm', 'cjs'] as const) {
      expect((await tryBoth(format)).trim()).toBe(
        'function\nMissingDependencyError: analytics-next-hubspot/node needs the package rate-limiter-flexible (the rate limiter of cloud mode), which is not installed: run `npm install rate-limiter-flexible`',
      )
    }
  })

  it('once it is installed, cloud mode works (ESM and CJS)', async () => {
    // Runs after the test above (a file's tests run in order): the same install, now with it.
    const at = join(inject('consumerDir'), 'node_modules/rate-limiter-flexible')
    symlinkSync(join(ROOT, 'node_modules/rate-limiter-flexible'), at, 'dir')
    for (const format of ['esm', 'cjs'] as const)
      expect((await tryBoth(format)).trim()).toBe('function\ncloud mode ready')
  })

  it('package.json makes it an optional peer, not a dependency', () => {
    const pkg = JSON.parse(
      readFileSync(join(inject('consumerDir'), 'node_modules/analytics-next-hubspot/package.json'), 'utf8'),
    )
    expect(Object.keys(pkg.dependencies)).toEqual(['js-cookie', 'uuid'])
    expect(pkg.peerDependencies['rate-limiter-flexible']).toMatch(/^\^11\./)
    expect(pkg.peerDependenciesMeta['rate-limiter-flexible']).toEqual({ optional: true })
  })
})
