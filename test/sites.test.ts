// @vitest-environment jsdom
// Real Segment sites: HubSpot also enabled in the Segment dashboard (device mode): one
// sender, one script; and the CDN file next to snippets 4.x (no `register`) and 5.x.
import type { Context, Plugin } from '@segment/analytics-next'
import { AnalyticsBrowser } from '@segment/analytics-next'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { hubspot, withoutDashboardHubSpot } from '../src/browser'
import { completeSnippet, NOT_NEXT } from '../src/browser/snippet'
import { hubspotScripts, queued, resetPage } from './helpers'

beforeEach(() => resetPage('/'))

const CLASSIC = {
  portalId: '1234567',
  type: 'browser',
  bundlingStatus: 'bundled',
  versionSettings: { version: '3.3.0', componentTypes: ['browser'] },
}
const ACTIONS_PLUGIN = {
  name: 'HubSpot Web (Actions)',
  creationName: 'HubSpot Web (Actions)',
  libraryName: 'hubspotDestination',
  url: 'https://cdn.segment.com/next-integrations/actions/hubspot-web/5f3d1a2b.js',
  settings: { portalId: '1234567' },
}

describe('withoutDashboardHubSpot (for updateCDNSettings)', () => {
  it('takes the classic HubSpot destination out of the browser, keeping its entry for Segment, and drops HubSpot Web (Actions)', () => {
    const settings = {
      integrations: { 'Segment.io': { apiKey: 'k' }, HubSpot: CLASSIC, Other: { type: 'browser' } },
      remotePlugins: [
        ACTIONS_PLUGIN,
        { ...ACTIONS_PLUGIN, name: 'Amplitude (Actions)', creationName: 'Amplitude (Actions)' },
      ],
      metrics: { sampleRate: 0 },
    }
    const before = structuredClone(settings)
    const out = withoutDashboardHubSpot(settings)
    expect(out.integrations.HubSpot).toEqual({
      portalId: '1234567',
      bundlingStatus: 'bundled',
      versionSettings: { version: '3.3.0', componentTypes: [] },
    })
    expect(out.integrations.Other).toBe(settings.integrations.Other)
    expect(out.remotePlugins.map((p) => p.name)).toEqual(['Amplitude (Actions)'])
    expect(out.metrics).toBe(settings.metrics)
    expect(settings).toEqual(before)
  })

  it('leaves settings without a device-mode HubSpot as they are (cloud mode, unbundled)', () => {
    const cloud = { integrations: { HubSpot: { portalId: '1', bundlingStatus: 'unbundled', type: 'browser' } } }
    expect(withoutDashboardHubSpot(cloud).integrations).toEqual(cloud.integrations)
    expect(withoutDashboardHubSpot({})).toEqual({})
  })
})

/** A copy of Segment's classic destination as analytics-next wraps it: its bundle arrives later, then it initializes. */
function classicCopy() {
  const pushed: unknown[] = []
  const copy = {
    name: 'HubSpot',
    type: 'destination' as const,
    version: '3.3.0',
    integration: undefined as undefined | { initialize(): void },
    isLoaded: () => true,
    load() {
      setTimeout(() => {
        copy.integration = {
          initialize() {
            const script = document.createElement('script')
            script.src = 'https://js.hs-analytics.net/analytics/1700000000000/1234567.js'
            document.head.appendChild(script)
          },
        }
        copy.integration.initialize()
      }, 5)
      return Promise.resolve()
    },
    track: (ctx: Context) => (pushed.push(['trackEvent', ctx.event.event]), Promise.resolve(ctx)),
    page: (ctx: Context) => (pushed.push(['trackPageView']), Promise.resolve(ctx)),
  }
  return { copy: copy as unknown as Plugin, pushed }
}

const load = (plugins: unknown[], cdnExtra: Record<string, unknown> = {}) =>
  AnalyticsBrowser.load(
    {
      writeKey: 'k',
      cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 }, ...cdnExtra },
      plugins: plugins as Plugin[],
    },
    { integrations: { 'Segment.io': false }, disableClientPersistence: true },
  )

describe('a dashboard copy registered next to the plugin', () => {
  it('the classic copy is kept from sending and from loading its script; one console.warn says how to turn it off', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { copy, pushed } = classicCopy()
    const [analytics] = await load([copy, hubspot({ hubId: '1234567' })])
    await analytics.page()
    await analytics.track('Order Completed')
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(pushed).toEqual([])
    expect(hubspotScripts().map((s) => s.src)).toEqual(['https://js.hs-scripts.com/1234567.js'])
    expect(queued().map((c) => c[0])).toEqual(['setPath', 'setPath', 'trackPageView', 'trackCustomBehavioralEvent'])
    expect(warn.mock.calls.filter((c) => String(c[0]).startsWith('[HubSpot]'))).toEqual([
      [
        expect.stringMatching(
          /^\[HubSpot\] HubSpot is also on in this site's Segment dashboard \(HubSpot, device mode\)/,
        ),
      ],
    ])
    // Its ready() no longer waits for an initialization that never comes.
    await copy.ready!()
  })

  it('HubSpot Web (Actions) from remotePlugins is kept from sending (every one of its subscriptions)', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const pushed: unknown[] = []
    const action = (name: string): Plugin => ({
      name,
      type: 'destination',
      version: '0',
      isLoaded: () => true,
      load: () => Promise.resolve(),
      track: (ctx) => (pushed.push(name), ctx),
      page: (ctx) => (pushed.push(name), ctx),
    })
    const factory = Object.assign(() => [action('Track Event'), action('Track Page View')], {
      pluginName: 'HubSpot Web (Actions)',
    })
    const [analytics] = await load([factory, hubspot({ hubId: '1234567' })], { remotePlugins: [ACTIONS_PLUGIN] })
    await analytics.page()
    await analytics.track('Order Completed')
    expect(pushed).toEqual([])
    expect(queued().map((c) => c[0])).toContain('trackCustomBehavioralEvent')
  })

  it('a second registration of this plugin is not a dashboard copy: no warning', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const [analytics] = await load([hubspot({ hubId: '1234567' })])
    await analytics.register(hubspot({ hubId: '1234567' }))
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('dashboard'))).toEqual([])
  })

  it("analytics.deregister('HubSpot') still unloads the plugin (and its scripts) when the classic copy is found first", async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { copy } = classicCopy()
    const [analytics] = await load([copy, hubspot({ hubId: '1234567' })])
    await analytics.page()
    expect(hubspotScripts()).toHaveLength(1)
    await analytics.deregister('HubSpot')
    expect(hubspotScripts()).toEqual([])
  })
})

describe('the CDN file and Segment snippets', () => {
  /** A snippet stub as Segment's snippets build it: an array, with a factory for its methods. */
  function stub(methods: string[]) {
    const analytics = [] as unknown as unknown[] & Record<string, unknown>
    analytics.factory = (method: string) =>
      function (...args: unknown[]) {
        analytics.push([method, ...args])
        return analytics
      }
    for (const method of methods) analytics[method] = (analytics.factory as (m: string) => unknown)(method)
    return analytics
  }

  it("a snippet 4.x stub gets a register that queues the call like the 5.x stub's, after the snippet's own page()", () => {
    const analytics = stub(['page', 'track', 'identify'])
    ;(analytics.page as () => void)()
    completeSnippet({ analytics })
    const plugin = { name: 'HubSpot' }
    expect((analytics.register as (p: unknown) => unknown)(plugin)).toBe(analytics)
    expect(Array.from(analytics)).toEqual([['page'], ['register', plugin]])
  })

  it('a stub without a factory gets one that pushes the call itself', () => {
    const analytics = [] as unknown as unknown[] & { register?: (p: unknown) => unknown }
    completeSnippet({ analytics })
    analytics.register!('p')
    expect(Array.from(analytics)).toEqual([['register', 'p']])
  })

  it('a 5.x stub, analytics-next itself, its { _cdn } setting and an empty page are left as they are, silently', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const five = stub(['page', 'register'])
    const register = five.register
    for (const analytics of [five, { _cdn: 'https://cdn.example' }, { register() {}, initialize() {} }, undefined]) {
      completeSnippet({ analytics })
    }
    expect(five.register).toBe(register)
    expect(error).not.toHaveBeenCalled()
  })

  it('an analytics.js that is not analytics-next (no register) gets one console error naming the fix', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    completeSnippet({ analytics: { initialize() {}, page() {} } })
    expect(error.mock.calls).toEqual([[NOT_NEXT]])
    expect(NOT_NEXT).toMatch(/snippet to 5\.x/)
  })
})
