// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { hubspot, VERSION } from '../src/browser'
import {
  arriveHubSpot,
  hubspotScripts,
  loadAnalytics,
  queued,
  queuedEntries,
  recorder,
  resetPage,
  win,
} from './helpers'
import { ALEX, ALEX_SENT, ORDER_TRAITS } from './seeds'

beforeEach(() => resetPage('/pricing?plan=pro'))

/** Loads analytics and makes the first call, as the snippet's page() does: hubspot.js is requested then. */
async function started(...args: Parameters<typeof loadAnalytics>) {
  const analytics = await loadAnalytics(...args)
  await analytics.page()
  return analytics
}

describe('the plugin object', () => {
  it('is a destination named HubSpot with the package version and every handler', () => {
    const plugin = hubspot({ hubId: '123' })
    expect(plugin).toMatchObject({ name: 'HubSpot', type: 'destination', version: VERSION })
    for (const handler of ['load', 'isLoaded', 'page', 'identify', 'track', 'group', 'alias', 'unload']) {
      expect(typeof plugin[handler as keyof typeof plugin]).toBe('function')
    }
  })

  it('parses settings at the factory call, so a bad hubId throws before anything loads', () => {
    expect(() => hubspot({ hubId: '123.js?x=<script>' })).toThrow(/hubId/)
    expect(hubspotScripts()).toEqual([])
  })

  it('is not loaded before load, and loaded once the queue exists', async () => {
    const plugin = hubspot({ hubId: 123 })
    expect(plugin.isLoaded()).toBe(false)
    await loadAnalytics([plugin])
    expect(plugin.isLoaded()).toBe(true)
    expect(Array.isArray(win()._hsq)).toBe(true)
  })
})

describe('loading hubspot.js', () => {
  it('injects one async script with HubSpot id and the na1 URL', async () => {
    await started([hubspot({ hubId: 123 })])
    const scripts = hubspotScripts()
    expect(scripts.map((s) => s.outerHTML)).toEqual([
      '<script async="" src="https://js.hs-scripts.com/123.js" id="hs-script-loader"></script>',
    ])
  })

  it('injects the eu1 URL for region eu1', async () => {
    await started([hubspot({ portalId: '4567', region: 'eu1' })])
    expect(hubspotScripts().map((s) => s.src)).toEqual(['https://js-eu1.hs-scripts.com/4567.js'])
  })

  it('copies scriptNonce onto the injected script', async () => {
    await started([hubspot({ hubId: 123, scriptNonce: 'abc123' })])
    expect(hubspotScripts()[0].nonce).toBe('abc123')
  })

  it('uses scriptUrl instead of HubSpot host when given', async () => {
    await started([hubspot({ hubId: 123, scriptUrl: '/hubspot/123.js' })])
    expect(hubspotScripts().map((s) => s.getAttribute('src'))).toEqual(['/hubspot/123.js'])
  })

  it('creates _hsq and _hsp as arrays and keeps commands a page queued already', async () => {
    win()._hsq = [['setPath', '/from-page']] as never
    await loadAnalytics([hubspot({ hubId: 123 })])
    expect(queued()).toEqual([['setPath', '/from-page']])
    expect(win()._hsp).toEqual([])
  })

  it("does not inject when HubSpot's own embed (id hs-script-loader) is on the page", async () => {
    document.head.innerHTML = '<script id="hs-script-loader" async src="https://js.hs-scripts.com/123.js"></script>'
    await started([hubspot({ hubId: 123 })])
    expect(hubspotScripts()).toHaveLength(1)
  })

  it('does not inject when any script from hs-scripts.com or hs-analytics.net is on the page', async () => {
    document.head.innerHTML = '<script src="https://js.hs-analytics.net/analytics/1700000000000/123.js"></script>'
    await started([hubspot({ hubId: 123 })])
    expect(hubspotScripts().map((s) => s.src)).toEqual(['https://js.hs-analytics.net/analytics/1700000000000/123.js'])
  })

  it('is not fooled by a look-alike host such as js.hs-scripts.com.evil.example', async () => {
    document.head.innerHTML = '<script src="https://js.hs-scripts.com.evil.example/123.js"></script>'
    await started([hubspot({ hubId: 123 })])
    expect(hubspotScripts().map((s) => s.src)).toEqual([
      'https://js.hs-scripts.com.evil.example/123.js',
      'https://js.hs-scripts.com/123.js',
    ])
  })

  it('injects once when the plugin is registered twice', async () => {
    const analytics = await started([hubspot({ hubId: 123 })])
    await analytics.register(hubspot({ hubId: 123 }))
    await analytics.page()
    expect(hubspotScripts()).toHaveLength(1)
  })

  it('loads the forms SDK as its own script when loadFormsSdk is true (na1 and eu1)', async () => {
    await started([hubspot({ hubId: 123, loadFormsSdk: true })])
    expect(hubspotScripts().map((s) => s.src)).toEqual([
      'https://js.hs-scripts.com/123.js',
      'https://js.hsforms.net/forms/v2.js',
    ])
    resetPage()
    await started([hubspot({ hubId: 123, region: 'eu1', loadFormsSdk: true })])
    expect(hubspotScripts().map((s) => s.src)).toEqual([
      'https://js-eu1.hs-scripts.com/123.js',
      'https://js-eu1.hsforms.net/forms/v2.js',
    ])
  })

  it('does not load the forms SDK by default', async () => {
    await started([hubspot({ hubId: 123 })])
    expect(hubspotScripts().map((s) => s.src)).toEqual(['https://js.hs-scripts.com/123.js'])
  })

  it('never waits for the network: analytics is ready and events queue while hubspot.js has not arrived', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.track('Signed Up')
    expect(queuedEntries()).toEqual([
      { task: [['trackCustomBehavioralEvent', { name: 'pe123_signed_up', properties: {} }]] },
    ])
  })

  it('events queued before hubspot.js arrives reach it in order when it does; identifies as plain commands', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    await analytics.identify({ email: 'a@example.com' })
    await analytics.track('Signed Up', { plan: 'pro' })
    expect(queuedEntries()).toEqual([
      ['setPath', '/pricing?plan=pro'],
      { task: [['setPath', '/pricing?plan=pro'], ['trackPageView']] },
      ['identify', { email: 'a@example.com' }],
      { task: [['trackCustomBehavioralEvent', { name: 'pe123_signed_up', properties: { plan: 'pro' } }]] },
    ])
    expect(arriveHubSpot()).toEqual([
      ['setPath', '/pricing?plan=pro'],
      ['setPath', '/pricing?plan=pro'],
      ['identify', { email: 'a@example.com' }],
      ['trackCustomBehavioralEvent', { name: 'pe123_signed_up', properties: { plan: 'pro' } }],
    ])
  })

  it('injects nothing when HubSpot is disabled for the whole instance (integrations HubSpot false, or All false)', async () => {
    await started([hubspot({ hubId: 123 })], { HubSpot: false })
    expect(hubspotScripts()).toEqual([])
    resetPage()
    await started([hubspot({ hubId: 123 })], { All: false })
    expect(hubspotScripts()).toEqual([])
    resetPage()
    await started([hubspot({ hubId: 123 })], { All: false, HubSpot: true })
    expect(hubspotScripts()).toHaveLength(1)
  })
})

describe('when hubspot.js is requested', () => {
  it('with the first event, not at load, so that consent stamped on that event can be honoured', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    expect(hubspotScripts()).toEqual([])
    await analytics.track('First')
    expect(hubspotScripts().map((s) => s.src)).toEqual(['https://js.hs-scripts.com/123.js'])
  })

  it('at load when consentCategories is [] (consent ignored)', async () => {
    await loadAnalytics([hubspot({ hubId: 123, consentCategories: [] })])
    expect(hubspotScripts().map((s) => s.src)).toEqual(['https://js.hs-scripts.com/123.js'])
  })
})

describe('page: the initial view is never double counted', () => {
  it('before hubspot.js has loaded, page queues only setPath (the automatic view records it)', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    expect(arriveHubSpot()).toEqual([
      ['setPath', '/pricing?plan=pro'],
      ['setPath', '/pricing?plan=pro'],
    ])
  })

  it('without any page call, nothing is pushed: the loaded script records the view itself', async () => {
    await loadAnalytics([hubspot({ hubId: 123 })])
    expect(arriveHubSpot()).toEqual([])
  })

  it('after hubspot.js has loaded, the first page at the same location pushes nothing', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const received = arriveHubSpot()
    await analytics.page()
    expect(received).toEqual([])
  })

  it('after hubspot.js has loaded, a page call at a new location pushes setPath then trackPageView', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123, consentCategories: [] })])
    const received = arriveHubSpot()
    history.pushState(null, '', '/docs/setup?step=2')
    await analytics.page()
    expect(received).toEqual([['setPath', '/docs/setup?step=2'], ['trackPageView']])
  })

  it('each SPA navigation after the first view gives one view with its path and query', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    const received = arriveHubSpot()
    history.pushState(null, '', '/a?x=1')
    await analytics.page()
    history.pushState(null, '', '/b')
    await analytics.page()
    expect(received).toEqual([
      ['setPath', '/pricing?plan=pro'],
      ['setPath', '/pricing?plan=pro'],
      ['setPath', '/a?x=1'],
      ['trackPageView'],
      ['setPath', '/b'],
      ['trackPageView'],
    ])
  })

  it('two page calls before hubspot.js loads: the first is replayed as a view, the second left to the automatic one', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    history.pushState(null, '', '/next')
    await analytics.page()
    // One plain setPath, holding the newest path (HubSpot applies it first), and one function per call.
    expect(queuedEntries()).toEqual([
      ['setPath', '/next'],
      { task: [['setPath', '/pricing?plan=pro'], ['trackPageView']] },
      { task: [['setPath', '/next'], ['trackPageView']] },
    ])
    expect(arriveHubSpot()).toEqual([
      ['setPath', '/next'],
      ['setPath', '/pricing?plan=pro'],
      ['trackPageView'],
      ['setPath', '/next'],
    ])
  })

  it('compares the browser location, not the canonical path analytics-next reports', async () => {
    document.head.innerHTML = '<link rel="canonical" href="http://localhost/canonical">'
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const received = arriveHubSpot()
    await analytics.page()
    expect(received).toEqual([])
  })

  it("takes the view's path from the event, which follows the canonical link", async () => {
    document.head.innerHTML = '<link rel="canonical" href="http://localhost/canonical">'
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    expect(queuedEntries()[0]).toEqual(['setPath', '/canonical?plan=pro'])
  })

  it("when the site's own HubSpot snippet has already loaded, the first page at that location pushes nothing", async () => {
    const received: unknown[] = []
    // HubSpot's tracker calls a function pushed into _hsq; inside it, push is the tracker's.
    win()._hsq = { push: (...c: unknown[]) => c.forEach((i) => (typeof i === 'function' ? i() : received.push(i))) }
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    history.pushState(null, '', '/next')
    await analytics.page()
    expect(received).toEqual([['setPath', '/next'], ['trackPageView']])
  })

  it('a page call with integrations HubSpot false sends nothing', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page({}, { integrations: { HubSpot: false } })
    expect(queued()).toEqual([])
  })
})

describe('identify: traits are buffered until the next view or event', () => {
  it("pushes the seed's Alex traits as one identify and no page view", async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const received = arriveHubSpot()
    await analytics.identify('user-42', ALEX)
    expect(received).toEqual([['identify', ALEX_SENT]])
  })

  it('turns a Date trait into epoch ms after analytics-next persisted it as an ISO string', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })], {}, true)
    await analytics.identify('user-42', {
      email: 'alex@example.com',
      custom_date1: new Date('2019-10-14T11:15:53.296Z'),
    })
    await analytics.identify('user-42', { plan: 'pro' })
    expect(queued()).toEqual([
      ['identify', { email: 'alex@example.com', custom_date1: '1571051753296' }],
      ['identify', { email: 'alex@example.com', custom_date1: '1571051753296', plan: 'pro' }],
    ])
  })

  it('takes the email from userId when userId is an email address', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.identify('peter@initech.com', { firstName: 'Peter' })
    expect(queued()).toEqual([['identify', { firstname: 'Peter', email: 'peter@initech.com' }]])
  })

  it('pushes nothing without a valid email (a placeholder would merge visitors)', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.identify('user-42', { firstName: 'Peter' })
    await analytics.identify('user-43', { email: 'not an email' })
    expect(queued()).toEqual([])
  })

  it('never sends userId or anonymousId as HubSpot id', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.identify('user-42', { email: 'a@example.com' })
    const [[, traits]] = queued() as Array<[string, Record<string, unknown>]>
    expect(traits).toEqual({ email: 'a@example.com' })
  })

  it('flushIdentify pushes a page view after the identify once hubspot.js has loaded', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123, flushIdentify: true })])
    const received = arriveHubSpot()
    await analytics.identify({ email: 'a@example.com' })
    expect(received).toEqual([['identify', { email: 'a@example.com' }], ['trackPageView']])
  })

  it('flushIdentify pushes no page view before hubspot.js has loaded (the automatic view carries the traits)', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123, flushIdentify: true })])
    await analytics.identify({ email: 'a@example.com' })
    expect(queued()).toEqual([['identify', { email: 'a@example.com' }]])
  })
})

describe('track: contact properties, then the custom behavioral event', () => {
  it("sends the seed's Order Completed with context.traits as an identify then the event", async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    const received = arriveHubSpot()
    await analytics.track('Order Completed', { value: 30 }, { context: { traits: ORDER_TRAITS } })
    expect(received).toEqual([
      ['identify', ORDER_TRAITS],
      ['trackCustomBehavioralEvent', { name: 'pe123_order_completed', properties: { value: '30' } }],
    ])
  })

  it('uses the internal name and property names mapped in settings.events', async () => {
    const analytics = await loadAnalytics([
      hubspot({
        hubId: 123,
        events: { ' order completed ': { name: 'pe123_purchase', properties: { total: 'order_total' } } },
      }),
    ])
    await analytics.track('Order Completed', { total: 99.5, campaignId: 'spring', elementId: 'buy' })
    expect(queued()).toEqual([
      [
        'trackCustomBehavioralEvent',
        { name: 'pe123_purchase', properties: { order_total: '99.5', hs_campaign_id: 'spring', hs_element_id: 'buy' } },
      ],
    ])
  })

  it("maps context.device.name and the address to the seed's hs_* properties", async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.track(
      'Viewed Asset',
      { assetType: 'pdf', hsAssetDescription: 'Price list' },
      { context: { device: { name: 'Pixel' }, traits: { address: { city: 'Paris', country: 'FR' } } } },
    )
    expect(queued()).toEqual([
      [
        'trackCustomBehavioralEvent',
        {
          name: 'pe123_viewed_asset',
          properties: {
            hs_asset_description: 'Price list',
            hs_asset_type: 'pdf',
            hs_city: 'Paris',
            hs_country: 'FR',
            hs_device_name: 'Pixel',
          },
        },
      ],
    ])
  })

  it("unmappedEvents 'legacy' sends HubSpot's older trackEvent with revenue as value", async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123, unmappedEvents: 'legacy' })])
    await analytics.track('Bought Item', { revenue: 12, value: 3 })
    expect(queued()).toEqual([['trackEvent', { id: 'Bought Item', value: '12' }]])
  })

  it("unmappedEvents 'ignore' sends nothing for an unmapped event, and still sends a mapped one", async () => {
    const analytics = await loadAnalytics([
      hubspot({ hubId: 123, unmappedEvents: 'ignore', events: { Purchased: 'pe123_purchased' } }),
    ])
    await analytics.track('Bought Item')
    await analytics.track('purchased')
    expect(queued()).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_purchased', properties: {} }]])
  })

  it('an event with integrations HubSpot false never reaches HubSpot, while other destinations get it', async () => {
    const other = recorder()
    const analytics = await loadAnalytics([hubspot({ hubId: 123 }), other])
    await analytics.track('Secret', {}, { integrations: { HubSpot: false } })
    expect(queued()).toEqual([])
    expect(other.events.map((e) => e.event)).toEqual(['Secret'])
  })

  it('does not mutate the event that other destinations also receive', async () => {
    const other = recorder()
    const analytics = await loadAnalytics([hubspot({ hubId: 123 }), other])
    await analytics.track(
      'Order Completed',
      { 'Order ID': ' 42 ', items: ['a', 'b'] },
      { context: { traits: { email: 'a@example.com', firstName: 'A' } } },
    )
    expect(other.events[0].properties).toEqual({ 'Order ID': ' 42 ', items: ['a', 'b'] })
    expect((other.events[0].context as { traits: unknown }).traits).toEqual({ email: 'a@example.com', firstName: 'A' })
  })
})

describe('group and alias', () => {
  it('group sets the company of the contact identified earlier, buffered like an identify', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.identify({ email: 'a@example.com' })
    await analytics.group('g1', { name: ' Initech ' })
    expect(queued()).toEqual([
      ['identify', { email: 'a@example.com' }],
      ['identify', { email: 'a@example.com', company: 'Initech' }],
    ])
  })

  it('group takes company.name too', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.track('Signed In', {}, { context: { traits: { email: 'a@example.com' } } })
    await analytics.group('g1', { company: { name: 'Initech' } })
    expect(queued().slice(-1)).toEqual([['identify', { email: 'a@example.com', company: 'Initech' }]])
  })

  it('group without an email from an earlier identify pushes nothing', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.group('g1', { name: 'Initech' })
    expect(queued()).toEqual([])
  })

  it('alias pushes nothing', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.alias('new-id')
    expect(queued()).toEqual([])
  })
})

describe('debug', () => {
  it('logs every command pushed, and why an identify was dropped, with console.debug', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const analytics = await loadAnalytics([hubspot({ hubId: 123, debug: true })])
    await analytics.page()
    await analytics.identify({ name: 'no email' })
    const hubspotLines = debug.mock.calls.filter((c) => String(c[0]).startsWith('[HubSpot]'))
    expect(hubspotLines).toEqual([
      ['[HubSpot] _hsq.push', ['setPath', '/pricing?plan=pro']],
      ['[HubSpot] queued for hubspot.js, to run in order:', ['setPath', '/pricing?plan=pro'], ['trackPageView']],
      [expect.stringMatching(/^\[HubSpot\] identify without a valid email/)],
    ])
  })

  it('logs nothing without debug', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {})
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.page()
    await analytics.identify({ name: 'no email' })
    expect(debug.mock.calls.filter((c) => String(c[0]).startsWith('[HubSpot]'))).toEqual([])
  })
})

describe('unload', () => {
  it('deregistering stops sending and removes the scripts the plugin added', async () => {
    const analytics = await loadAnalytics([hubspot({ hubId: 123 })])
    await analytics.deregister('HubSpot')
    await analytics.track('After')
    expect(queued()).toEqual([])
    expect(hubspotScripts()).toEqual([])
  })
})
