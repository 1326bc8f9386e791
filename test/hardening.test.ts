// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Analytics } from '@segment/analytics-next'
import { hubspot } from '../src/browser'
import { LOAD_TIMEOUT_MS } from '../src/browser/plugin'
import { arriveHubSpot, hubspotScripts, loadAnalytics, queued, recorder, resetPage, win } from './helpers'

type Middleware = Parameters<Analytics['addDestinationMiddleware']>[1]

const CONSENTED = { consent: { categoryPreferences: { analytics: true, advertising: false } } }
const REFUSED = { consent: { categoryPreferences: { analytics: false, advertising: true } } }

beforeEach(() => resetPage('/'))

describe('consent', () => {
  it('without consent for its categories, hubspot.js is not loaded and nothing is queued for HubSpot', async () => {
    const other = recorder()
    const analytics = await loadAnalytics([hubspot({ hubId: 123 }), other])
    await analytics.page({}, { context: REFUSED })
    await analytics.track('Signed Up', {}, { context: REFUSED })
    expect(hubspotScripts()).toEqual([])
    expect(queued()).toEqual([])
    expect(other.events).toHaveLength(2)
  })

  it('once an event carries consent, hubspot.js loads and events flow (earlier ones are not replayed)', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.track('Before Consent', {}, { context: REFUSED })
    await analytics.track('After Consent', {}, { context: CONSENTED })
    expect(hubspotScripts().map((s) => s.src)).toEqual(['https://js.hs-scripts.com/123.js'])
    expect(queued()).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_after_consent', properties: {} }]])
  })

  it('matches category names without case, and counts a category the consent manager does not report as refused', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123, consentCategories: ['Analytics', 'C0004'] })])
    await analytics.track('Partial', {}, { context: CONSENTED })
    expect(queued()).toEqual([])
    await analytics.track(
      'Both',
      {},
      { context: { consent: { categoryPreferences: { ANALYTICS: true, c0004: true } } } },
    )
    expect(queued()).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_both', properties: {} }]])
  })

  it('a revocation seen in an event revokes HubSpot cookie consent, turns tracking off and sends nothing more', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const received = arriveHubSpot()
    await analytics.track('Consented', {}, { context: CONSENTED })
    await analytics.track('Revoked', {}, { context: REFUSED })
    await analytics.track('Still Revoked')
    expect(win()._hsp).toEqual([['revokeCookieConsent']])
    expect(received).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_consented', properties: {} }],
      ['doNotTrack'],
    ])
  })

  it('re-granting pushes doNotTrack { track: true } and events flow again', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const received = arriveHubSpot()
    await analytics.track('One', {}, { context: CONSENTED })
    await analytics.track('Two', {}, { context: REFUSED })
    await analytics.track('Three', {}, { context: CONSENTED })
    expect(received).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_one', properties: {} }],
      ['doNotTrack'],
      ['doNotTrack', { track: true }],
      ['trackCustomBehavioralEvent', { name: 'pe123_three', properties: {} }],
    ])
  })

  it('plugin.revokeConsent() and grantConsent() do the same from code', async () => {
    const plugin = hubspot({ hubId: 123 })
    const analytics = await loadAnalytics([plugin])
    const received = arriveHubSpot()
    await analytics.track('One')
    plugin.revokeConsent()
    await analytics.track('Two')
    plugin.grantConsent()
    await analytics.track('Three')
    expect(win()._hsp).toEqual([['revokeCookieConsent']])
    expect(received).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_one', properties: {} }],
      ['doNotTrack'],
      ['doNotTrack', { track: true }],
      ['trackCustomBehavioralEvent', { name: 'pe123_three', properties: {} }],
    ])
  })

  it('revokeConsent() before any event keeps hubspot.js from loading until grantConsent()', async () => {
    const plugin = hubspot({ hubId: 123 })
    const analytics = await loadAnalytics([plugin])
    plugin.revokeConsent()
    await analytics.page()
    expect(hubspotScripts()).toEqual([])
    plugin.grantConsent()
    expect(hubspotScripts()).toHaveLength(1)
    expect(win()._hsp).toEqual([])
  })

  it('revokeConsent() lasts until grantConsent(), although later events stamped by a consent wrapper say granted', async () => {
    const plugin = hubspot({ hubId: 123 })
    const analytics = await loadAnalytics([plugin])
    const received = arriveHubSpot()
    await analytics.track('One', {}, { context: CONSENTED })
    plugin.revokeConsent()
    await analytics.track('Two', {}, { context: CONSENTED })
    await analytics.page({}, { context: CONSENTED })
    expect(received).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_one', properties: {} }], ['doNotTrack']])
    plugin.grantConsent()
    await analytics.track('Three', {}, { context: CONSENTED })
    expect(received.slice(2)).toEqual([
      ['doNotTrack', { track: true }],
      ['trackCustomBehavioralEvent', { name: 'pe123_three', properties: {} }],
    ])
  })

  it("warns once, without debug, when events carry consent categories and none is in consentCategories (a consent manager's own names)", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const oneTrust = { consent: { categoryPreferences: { C0001: true, C0002: true, C0004: false } } }
    await analytics.track('One', {}, { context: oneTrust })
    await analytics.track('Two', {}, { context: oneTrust })
    expect(warn.mock.calls.filter((c) => String(c[0]).startsWith('[HubSpot]'))).toEqual([
      [
        "[HubSpot] events carry the consent categories C0001, C0002, C0004, none of consentCategories (analytics): HubSpot never loads. Set consentCategories to your consent manager's names (OneTrust ['C0002'], Cookiebot ['statistics']).",
      ],
    ])
    expect(hubspotScripts()).toEqual([])
  })

  it('does not warn when one configured category is there (refused or not), nor when events carry no consent', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const analytics = await loadAnalytics([hubspot({ hubId: 123, consentCategories: ['statistics', 'marketing'] })])
    await analytics.track('One')
    await analytics.track(
      'Two',
      {},
      { context: { consent: { categoryPreferences: { Statistics: false, necessary: true } } } },
    )
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('consent'))).toEqual([])
  })

  it("does not send the consent wrapper's own 'Segment Consent Preference Updated' event to HubSpot", async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.track('Segment Consent Preference Updated', {}, { context: CONSENTED })
    expect(queued()).toEqual([])
    expect(hubspotScripts()).toHaveLength(1)
  })
})

describe('destination middleware', () => {
  it('analytics.addDestinationMiddleware reaches the plugin; middlewares run in order on a copy and can change the event', async () => {
    const other = recorder()
    const analytics = await loadAnalytics([hubspot({ hubId: 123 }), other])
    const seen: string[] = []
    const rename: Middleware = ({ payload, integration, next }) => {
      seen.push(`rename:${integration}`)
      payload.obj.event = 'Renamed'
      next(payload)
    }
    const addPlan: Middleware = async ({ payload, next }) => {
      await Promise.resolve()
      seen.push(`plan:${String(payload.obj.event)}`)
      ;(payload.obj.properties as Record<string, unknown>).plan = 'pro'
      next(payload)
    }
    await analytics.addDestinationMiddleware('HubSpot', rename, addPlan)
    await analytics.track('Original', { n: 1 })
    expect(seen).toEqual(['rename:HubSpot', 'plan:Renamed'])
    expect(queued()).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_renamed', properties: { n: '1', plan: 'pro' } }],
    ])
    expect(other.events[0]).toMatchObject({ event: 'Original', properties: { n: 1 } })
  })

  it('next(null) drops the event, and so does a middleware that never calls next', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.addDestinationMiddleware('HubSpot', ({ payload, next }) => {
      if (payload.obj.event === 'Drop Me') next(null)
      else if (payload.obj.event !== 'Forget Me') next(payload)
    })
    await analytics.track('Drop Me')
    await analytics.track('Forget Me')
    await analytics.track('Keep Me')
    expect(queued()).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_keep_me', properties: {} }]])
  })

  it('middleware for another destination does not touch HubSpot events', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.addDestinationMiddleware('Recorder', ({ next }) => next(null))
    await analytics.track('Kept')
    expect(queued()).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_kept', properties: {} }]])
  })
})

describe('registering more than once', () => {
  it('the newest copy for a hub sends, an older one goes quiet: never two of each command', async () => {
    const first = hubspot({ hubId: 123 })
    const analytics = await loadAnalytics([first])
    await analytics.track('One')
    await analytics.register(hubspot({ hubId: 123 }))
    await analytics.track('Two')
    expect(queued()).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_one', properties: {} }],
      ['trackCustomBehavioralEvent', { name: 'pe123_two', properties: {} }],
    ])
    expect(first.isLoaded()).toBe(false)
    expect(hubspotScripts()).toHaveLength(1)
  })

  it('copies for two different hubs both send', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 }), hubspot({ hubId: 456, scriptUrl: '/456.js' })])
    await analytics.track('Both')
    expect(queued()).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_both', properties: {} }],
      ['trackCustomBehavioralEvent', { name: 'pe456_both', properties: {} }],
    ])
  })

  it('after deregister, a new registration takes over', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.deregister('HubSpot')
    await analytics.register(hubspot({ hubId: 123 }))
    await analytics.track('Again')
    expect(queued()).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_again', properties: {} }]])
  })
})

describe('hubspot.js that never answers', () => {
  it(`warns once after ${LOAD_TIMEOUT_MS / 1000} s when hubspot.js has not started, and not when it has`, async () => {
    // Straight to the plugin: analytics-next's own timers would stall under fake ones.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const ctx = (event: string) => ({ event: { type: 'track', event } }) as never
      const arrived = hubspot({ hubId: 123, consentCategories: [] })
      await arrived.load({} as never, {} as never)
      arriveHubSpot()
      vi.advanceTimersByTime(LOAD_TIMEOUT_MS)
      expect(warn).not.toHaveBeenCalled()

      resetPage('/')
      const never = hubspot({ hubId: 123, consentCategories: [] })
      await never.load({} as never, {} as never)
      vi.advanceTimersByTime(LOAD_TIMEOUT_MS - 1)
      expect(warn).not.toHaveBeenCalled()
      vi.advanceTimersByTime(1)
      void never.track!(ctx('Still Accepted'))
      expect(warn.mock.calls).toEqual([
        [`[HubSpot] https://js.hs-scripts.com/123.js has not started after 10 s; events wait in window._hsq.`],
      ])
      expect(queued()).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_still_accepted', properties: {} }]])
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('debug notes', () => {
  it('reports each cut value once, however often it happens', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const analytics = await loadAnalytics([hubspot({ hubId: 123, debug: true })])
    for (let i = 0; i < 3; i++) await analytics.track('Long', { note: 'x'.repeat(300) })
    const notes = debug.mock.calls.map((c) => c[0]).filter((m) => String(m).includes('cut'))
    expect(notes).toEqual(["[HubSpot] note: value cut to 256 characters, HubSpot's limit"])
  })
})
