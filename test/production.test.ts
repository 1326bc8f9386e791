// @vitest-environment jsdom
// Production builds (process.env.NODE_ENV === 'production', as a site's bundler and the CDN's
// .min.js have it) keep short messages: each still names the setting or rule and links the
// README section that explains it. Development builds (every other test file) keep the full text.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { hubspotScripts, loadAnalytics, resetPage } from './helpers'

type Browser = typeof import('../src/browser')
let browser: Browser
let snippet: typeof import('../src/browser/snippet')
let dashboard: typeof import('../src/browser/dashboard')

beforeAll(async () => {
  vi.stubEnv('NODE_ENV', 'production')
  vi.resetModules()
  browser = await import('../src/browser')
  snippet = await import('../src/browser/snippet')
  dashboard = await import('../src/browser/dashboard')
})
afterAll(() => {
  vi.unstubAllEnvs()
  vi.resetModules()
})
beforeEach(() => resetPage('/'))

const README = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../README.md'), 'utf8')
/** README's section anchors, as GitHub makes them from the headings. */
const ANCHORS = new Set(
  [...README.matchAll(/^#+ (.+)$/gm)].map(([, heading]) =>
    heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-'),
  ),
)
const LINK = /https:\/\/github\.com\/analytics-next-hubspot\/analytics-next-hubspot#([\w-]+)/

/** The README section a production message links; fails when it links none, or one README lacks. */
function sectionOf(message: string): string {
  const section = LINK.exec(message)?.[1]
  expect(section, message).toBeDefined()
  expect(ANCHORS, `${message}: README has no section #${section}`).toContain(section)
  return section!
}

function errorOf(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(browser.HubSpotSettingsError)
    return (error as Error).message
  }
  throw new Error('accepted')
}

describe('production messages', () => {
  it('a refused setting names it, shows the bad value and links the settings table, without the full text', () => {
    const cases: Array<[unknown, string, string]> = [
      [{ hubId: '123', region: 'us' }, '`region`', '"us"'],
      [{}, '`hubId`', 'undefined'],
      [{ hubId: '123', flushIdentity: true }, '`flushIdentity`', 'true'],
      [{ hubId: '123', events: { X: 'pe999_x' } }, '`events["X"].name`', '"pe999_x"'],
      [{ hubId: '4567', portalId: '999' }, '`portalId`', '"999"'],
    ]
    for (const [settings, setting, shown] of cases) {
      const message = errorOf(() => browser.hubspot(settings as never))
      expect(message).toContain(setting)
      expect(message).toContain(`got ${shown}`)
      expect(message).not.toContain('expected')
      expect(sectionOf(message)).toBe('settings')
    }
  })

  it('a secret in browser settings links the security section and never shows the secret', () => {
    const message = errorOf(() => browser.hubspot({ hubId: '123', apiKey: 'dfdbfe6f-e7bf' } as never))
    expect(message).toContain('`apiKey`')
    expect(message).not.toContain('dfdbfe6f-e7bf')
    expect(sectionOf(message)).toBe('security-and-privacy')
  })

  it('a refused hubspotForms option names it and links the hubspotForms section', () => {
    const message = errorOf(() => browser.hubspotForms({ fields: ['first name'] }))
    expect(message).toContain('`hubspotForms fields`')
    expect(message).toContain('"first name"')
    expect(sectionOf(message)).toBe('hubspot-forms-for-every-other-destination-hubspotforms')
  })

  it('debug notes are short and link the debug notes table, which lists each of them', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const analytics = await loadAnalytics([browser.hubspot({ hubId: 123, debug: true })])
    await analytics.identify({ name: 'no email' })
    await analytics.track('x', { items: [{ sku: 1 }] })
    const notes = debug.mock.calls.map((c) => String(c[0])).filter((c) => !c.includes('_hsq') && !c.includes('queued'))
    expect(notes).toEqual([
      expect.stringMatching(/^\[HubSpot\] identify: no valid email https:/),
      expect.stringMatching(/^\[HubSpot\] items: array of objects https:/),
    ])
    for (const note of notes) expect(sectionOf(note)).toBe('debug-notes')
    for (const text of ['identify: no valid email', 'array of objects']) expect(README).toContain(text)
  })

  it('warnings are short, name their cause and link the section that explains it', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const oneTrust = { consent: { categoryPreferences: { C0002: true } } }
    await (await loadAnalytics([browser.hubspot({ hubId: 123 })])).track('One', {}, { context: oneTrust })
    resetPage('/')
    await (await loadAnalytics([browser.hubspot({ hubId: 123, consentCategories: [] })])).page()
    for (const script of hubspotScripts()) script.dispatchEvent(new Event('error'))
    const warnings = warn.mock.calls.map((c) => String(c[0]))
    expect(warnings).toEqual([
      expect.stringMatching(/^\[HubSpot\] consent categories C0002, none of consentCategories \(analytics\)/),
      expect.stringMatching(/^\[HubSpot\] could not load https:\/\/js\.hs-scripts\.com\/123\.js \(ad blocker/),
    ])
    expect(warnings.map(sectionOf)).toEqual(['consent-managers-category-names', 'when-things-go-wrong'])
    const copies = dashboard.dashboardWarning(['HubSpot Web (Actions)'])
    expect(copies).toMatch(/Segment dashboard \(HubSpot Web \(Actions\), device mode\).*withoutDashboardHubSpot/)
    expect(snippet.NOT_NEXT).toMatch(/not analytics-next.*5\.x/)
    expect(sectionOf(snippet.NOT_NEXT)).toBe('install')
  })
})
