// @vitest-environment jsdom
// The device-mode rules of issue 9, each against the HubSpot stand-in (the model of HubSpot's
// real tracker, run here in jsdom): what HubSpot receives, read from the beacons it sends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hubspot } from '../src/browser'
import { LOAD_TIMEOUT_MS, RESET_NOTE } from '../src/browser/plugin'
import { arriveHubSpot, hubspotScripts, loadAnalytics, queued, resetPage, runStandin, win } from './helpers'

beforeEach(() => {
  resetPage('/landing')
  document.title = 'Landing'
})
afterEach(() => vi.useRealTimers())

const cookie = (name: string) =>
  document.cookie
    .split('; ')
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1) ?? null

describe('numbers and booleans are sent as their text', () => {
  it('0, false and 12.5 reach HubSpot as "0", "false" and "12.5" in events, legacy events and identify', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123, events: { Kept: 'pe123_kept' } })])
    const beacons = runStandin()
    await analytics.identify({ email: 'alex@example.com', seats: 0, trial: false })
    await analytics.track('Bought', { quantity: 0, gift: false, price: 12.5 })
    const legacy = await loadAnalytics([hubspot({ hubId: 456, unmappedEvents: 'legacy' })])
    await legacy.track('Refunded', { revenue: 0 })
    const [, event, refund] = beacons()
    expect(event).toMatchObject({
      kind: 'customEvent',
      name: 'pe123_bought',
      properties: { quantity: '0', gift: 'false', price: '12.5' },
      identity: { email: 'alex@example.com', seats: '0', trial: 'false' },
    })
    expect(refund).toMatchObject({ kind: 'legacyEvent', id: 'Refunded', value: '0' })
  })
})

describe('two page() calls before hubspot.js loads keep their own path and title, with no double count', () => {
  for (const build of ['1.398', '2023'] as const) {
    it(`in build ${build}'s queue order`, async () => {
      const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
      await analytics.page()
      history.pushState(null, '', '/pricing?plan=pro')
      document.title = 'Pricing'
      await analytics.page()
      history.pushState(null, '', '/docs')
      document.title = 'Docs'
      await analytics.page()
      const views = runStandin(build)().filter((b) => b.kind === 'pageView')
      // The 2023 build runs its automatic view (the last page call's) before the rest of the queue.
      expect(views.map((v) => [v.path, v.title]).sort()).toEqual([
        ['/docs', 'Docs'],
        ['/landing', 'Landing'],
        ['/pricing?plan=pro', 'Pricing'],
      ])
      expect(document.title).toBe('Docs')
    })
  }

  it('a page call after hubspot.js has taken over, while its queue still waits for the document, is its own view', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    const readyState = vi.spyOn(document, 'readyState', 'get').mockReturnValue('interactive')
    const beacons = runStandin('2023')
    history.pushState(null, '', '/next')
    document.title = 'Next'
    await analytics.page()
    readyState.mockReturnValue('complete')
    window.dispatchEvent(new Event('load'))
    // HubSpot's automatic view takes the page title of the moment it runs (the document has loaded).
    expect(beacons().map((v) => [v.kind, v.path, v.title])).toEqual([
      ['pageView', '/landing', 'Next'],
      ['pageView', '/next', 'Next'],
    ])
  })
})

describe('explicit path wins', () => {
  it('context.page.path given to page() wins over the location analytics-next fills in properties.path', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    const beacons = runStandin()
    history.pushState(null, '', '/menu')
    await analytics.page('Shop', 'Fried', {}, { context: { page: { path: '/fried-chicken' } } })
    expect(beacons().map((b) => b.path)).toEqual(['/landing', '/fried-chicken'])
  })

  it('an explicitly given properties.path wins too, before hubspot.js loads as after', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page({ path: '/virtual/start' })
    const beacons = runStandin()
    history.pushState(null, '', '/menu')
    await analytics.page({ path: '/virtual/menu' })
    expect(beacons().map((b) => b.path)).toEqual(['/virtual/start', '/virtual/menu'])
  })

  it('the canonical link rule of the first view is unchanged', async () => {
    document.head.innerHTML = '<link rel="canonical" href="http://localhost/canonical">'
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    expect(runStandin()().map((b) => b.path)).toEqual(['/canonical'])
  })
})

describe('pe{hubId}_ names pass through unchanged', () => {
  it("track('pe123_order_completed') reaches HubSpot as pe123_order_completed", async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const beacons = runStandin()
    await analytics.track('pe123_order_completed', { total: 5 })
    expect(beacons()[1]).toMatchObject({ name: 'pe123_order_completed', properties: { total: '5' } })
  })
})

describe('nested objects are flattened', () => {
  it('{ sides: { item1: "rice" } } reaches HubSpot as sides_item1, in events and contact properties', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const beacons = runStandin()
    await analytics.identify({ email: 'alex@example.com', plan: { name: 'pro' } })
    await analytics.track('Ordered', { sides: { item1: 'rice' }, items: [{ sku: 1 }] })
    expect(beacons()[1]).toMatchObject({
      properties: { sides_item1: 'rice' },
      identity: { email: 'alex@example.com', plan_name: 'pro' },
    })
  })
})

describe('identical hits in the same millisecond are both sent', () => {
  it('two identical events queued before hubspot.js both reach HubSpot (its tracker sends one URL once a millisecond)', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.track('Added To Cart', { sku: 'A1' })
    await analytics.track('Added To Cart', { sku: 'A1' })
    // A clock that moves on every 50 readings: the replayed queue runs well within one millisecond.
    const base = Date.now()
    let readings = 0
    vi.spyOn(Date, 'now').mockImplementation(() => base + Math.floor(readings++ / 50))
    const events = runStandin()().filter((b) => b.kind === 'customEvent')
    expect(events).toHaveLength(2)
  })

  it('both reach HubSpot whenever the clock moves on, also while the first one is being sent', async () => {
    const lost: number[] = []
    // A clock that moves on every `every` readings: for some of these, the millisecond ends inside
    // the first event's push, after the plugin read the clock and before the tracker stamped the hit.
    for (let every = 1; every <= 12; every++) {
      resetPage('/')
      const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
      await analytics.track('Added To Cart', { sku: 'A1' })
      await analytics.track('Added To Cart', { sku: 'A1' })
      const base = Date.now()
      let readings = 0
      const clock = vi.spyOn(Date, 'now').mockImplementation(() => base + Math.floor(readings++ / every))
      if (runStandin()().filter((b) => b.kind === 'customEvent').length !== 2) lost.push(every)
      clock.mockRestore()
    }
    expect(lost).toEqual([])
  })
})

describe('ready(): analytics.ready() means HubSpot is usable', () => {
  it('resolves once hubspot.js has taken over _hsq', async () => {
    const plugin = hubspot({ hubId: 123, consentCategories: [] })
    const analytics = await loadAnalytics([plugin])
    let ready = false
    void analytics.ready(() => (ready = true))
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(ready).toBe(false)
    arriveHubSpot()
    await plugin.ready()
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(ready).toBe(true)
  })

  it('with loadFormsSdk, resolves once window.hbspt.forms exists too', async () => {
    const plugin = hubspot({ hubId: 123, consentCategories: [], loadFormsSdk: true })
    await loadAnalytics([plugin])
    arriveHubSpot()
    let ready = false
    void plugin.ready().then(() => (ready = true))
    await new Promise((resolve) => setTimeout(resolve, 80))
    expect(ready).toBe(false)
    ;(window as unknown as { hbspt: unknown }).hbspt = { forms: { create() {} } }
    await plugin.ready()
  })

  it('resolves when hubspot.js fails to load (an ad blocker), so analytics.ready() never stalls', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const plugin = hubspot({ hubId: 123, consentCategories: [] })
    const analytics = await loadAnalytics([plugin])
    hubspotScripts()[0].dispatchEvent(new Event('error'))
    await analytics.ready()
  })

  it(`resolves after ${LOAD_TIMEOUT_MS / 1000} s when hubspot.js has not started, and at once when HubSpot is disabled or refused`, async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const slow = hubspot({ hubId: 123, consentCategories: [] })
    await slow.load({} as never, {} as never)
    let ready = false
    void slow.ready().then(() => (ready = true))
    await vi.advanceTimersByTimeAsync(LOAD_TIMEOUT_MS - 100)
    expect(ready).toBe(false)
    await vi.advanceTimersByTimeAsync(100)
    expect(ready).toBe(true)

    const disabled = hubspot({ hubId: 456 })
    await disabled.load({} as never, { integrations: { HubSpot: false } } as never)
    await disabled.ready()
    const refused = hubspot({ hubId: 789 })
    await refused.load({} as never, {} as never)
    refused.revokeConsent()
    await refused.ready()
  })
})

describe('analytics.reset() ends the HubSpot identity', () => {
  it('after hubspot.js: visitor cookies cleared (the next load is a new visitor) and nothing later carries the previous email', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const analytics = await loadAnalytics([hubspot({ hubId: 123, debug: true })])
    const beacons = runStandin()
    await analytics.identify({ email: 'alex@example.com' })
    await analytics.track('Signed In')
    expect(cookie('hubspotutk')).toMatch(/^[0-9a-f]{32}$/)
    analytics.reset()
    for (const name of ['hubspotutk', '__hstc', '__hssc', '__hssrc']) expect(cookie(name)).toBeNull()
    await analytics.track('After Logout')
    history.pushState(null, '', '/bye')
    await analytics.page()
    expect(beacons().map((b) => b.kind)).toEqual(['pageView', 'customEvent'])
    expect(cookie('hubspotutk')).toBeNull()
    expect(debug).toHaveBeenCalledWith(`[HubSpot] ${RESET_NOTE}`)
  })

  it('before hubspot.js: queued identifies are taken back, later events go out as a new, anonymous visitor', async () => {
    document.cookie = 'hubspotutk=0123456789abcdef0123456789abcdef; path=/'
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    await analytics.identify({ email: 'alex@example.com' })
    analytics.reset()
    expect(cookie('hubspotutk')).toBeNull()
    expect(queued().filter((c) => c[0] === 'identify')).toEqual([])
    await analytics.track('After Logout')
    const sent = runStandin()()
    expect(sent.map((b) => b.kind)).toEqual(['customEvent', 'pageView'])
    expect(sent.every((b) => b.identity === null && b.utk !== '0123456789abcdef0123456789abcdef')).toBe(true)
  })

  it('a reset before any identify (a login page) leaves tracking on once hubspot.js was not there yet', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    analytics.reset()
    await analytics.page()
    await analytics.track('Viewed Login')
    expect(
      runStandin()()
        .map((b) => b.kind)
        .sort(),
    ).toEqual(['customEvent', 'pageView'])
    expect(win()._hsq).toBeDefined()
  })
})
