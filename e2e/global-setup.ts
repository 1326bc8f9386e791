import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { build } from 'esbuild'
import { readmeSnippet, ROOT } from './readme'

/**
 * Builds the three install pages from README's snippets, verbatim, so the docs are what is
 * tested: the npm snippet bundled with esbuild, the two HTML snippets put into page templates.
 */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(`${ROOT}/dist/analytics-next-hubspot.iife.min.js`)) {
    throw new Error('dist/ is missing: run `npm run build` first (npm test does)')
  }
  const out = `${ROOT}/e2e/.build`
  mkdirSync(out, { recursive: true })

  writeFileSync(`${out}/npm-entry.js`, `${readmeSnippet('npm')}\nwindow.__e2eAnalytics = analytics\n`)
  const bundle = (entry: string, outfile: string) =>
    build({
      absWorkingDir: ROOT,
      entryPoints: [entry],
      outfile,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      alias: { 'analytics-next-hubspot': './dist/index.mjs' },
      logLevel: 'error',
    })
  await bundle(`${out}/npm-entry.js`, `${out}/npm-bundle.js`)
  // The consent and CSP pages: a bundle of their own, so that no script loads from elsewhere.
  await bundle(`${ROOT}/e2e/pages/bundled.js`, `${out}/bundled.js`)

  // segment.html has a 5.x snippet, segment4.html a 4.x one (no `register` in its stub);
  // segment-plugins.html is segment.html with the optional CDN files' tags after the core file's.
  const pages = {
    npm: ['npm', []],
    segment: ['segment', ['segment']],
    segment4: ['segment4', ['segment']],
    cdn: ['cdn', ['cdn']],
    'segment-plugins': ['segment', ['segment', 'cdn-plugins']],
  } as const
  for (const [page, [template, snippets]] of Object.entries(pages)) {
    const html = readFileSync(`${ROOT}/e2e/pages/${template}.html`, 'utf8')
    const snippet = snippets.map((name) => readmeSnippet(name)).join('\n')
    writeFileSync(`${out}/${page}.html`, html.replace('<!-- README snippet -->', snippet))
  }
}
