// @vitest-environment jsdom
// The HubSpot stand-in (demo/hubspot-standin.js) is the oracle of the demo and the e2e tests:
// these tests pin it to HubSpot's documented `_hsq` / `_hsp` behaviour.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

// (A path, not a URL object: under jsdom the global URL is jsdom's, which fs does not accept.)
const SCRIPT = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../demo/hubspot-standin.js'), 'utf8')
const SERVED_FROM = 'http://127.0.0.1:4173/hubspot/123.js'

interface Hit {
  seq: number
  kind: 'pageView' | 'customEvent' | 'legacyEvent' | 'unknownCommand'
  hubId: string | null
  path: string
  title: string
  identity: Record<string, unknown> | null
  name?: string
  properties?: Record<string, unknown>
  id?: string | number
  value?: unknown
  command?: unknown
  utk: string
  url: string
  at: number
}

interface Queue {
  push(...commands: unknown[]): number
}

interface StandinWindow {
  _hsq?: unknown[] | Queue
  _hsp?: unknown[] | Queue
  __hubspotStandin?: { hubId: string | null; hits: Hit[]; version: string; collector: string }
  __hubspotStandinHubId?: string | number
  __hubspotStandinCollector?: string
}

const w = window as unknown as Window & StandinWindow
const beacon = vi.fn((_url: string, _body?: BodyInit | null) => true)

/** Runs the stand-in as if loaded from `src` ('' = inline, no src), after what is queued. */
function load(src: string = SERVED_FROM): void {
  Object.defineProperty(document, 'currentScript', { configurable: true, value: src ? { src } : null })
  try {
    window.eval(SCRIPT)
  } finally {
    delete (document as unknown as { currentScript?: unknown }).currentScript
  }
}

const hsq = (): Queue => w._hsq as Queue
const hsp = (): Queue => w._hsp as Queue
const hits = (): Hit[] => w.__hubspotStandin!.hits

function cookie(name: string): string | null {
  const found = document.cookie
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${name}=`))
  return found === undefined ? null : decodeURIComponent(found.slice(name.length + 1))
}

function clearCookies(): void {
  for (const c of document.cookie.split(';')) {
    const name = c.split('=')[0].trim()
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  }
}

beforeEach(() => {
  delete w._hsq
  delete w._hsp
  delete w.__hubspotStandin
  delete w.__hubspotStandinHubId
  delete w.__hubspotStandinCollector
  clearCookies()
  document.title = 'Home'
  window.history.replaceState(null, '', '/landing?utm_source=test')
  beacon.mockReset()
  beacon.mockReturnValue(true)
  Object.defineProperty(navigator, 'sendBeacon', { configurable: true, value: beacon })
})

afterEach(() => {
  delete (navigator as unknown as { sendBeacon?: unknown }).sendBeacon
  vi.unstubAllGlobals()
})

describe('loading', () => {
  it('replays queued commands in order, then records the automatic page view', () => {
    w._hsq = [
      ['trackCustomBehavioralEvent', { name: 'pe123_first' }],
      ['trackEvent', { id: 'second' }],
      ['trackCustomBehavioralEvent', { name: 'pe123_third' }],
    ]
    load()
    expect(hits().map((h) => [h.seq, h.kind, h.name ?? h.id ?? null])).toEqual([
      [1, 'customEvent', 'pe123_first'],
      [2, 'legacyEvent', 'second'],
      [3, 'customEvent', 'pe123_third'],
      [4, 'pageView', null],
    ])
  })

  it('replaces _hsq and _hsp with objects whose push runs commands at once (the readiness test)', () => {
    w._hsq = [['trackEvent', { id: 'queued' }]]
    load()
    expect(Array.isArray(w._hsq)).toBe(false)
    expect(hsq().push).not.toBe(Array.prototype.push)
    expect(hsp().push).not.toBe(Array.prototype.push)
    // Like Array push, push returns a number (commands received so far, replay included).
    expect(hsq().push(['trackEvent', { id: 'a' }], ['trackEvent', { id: 'b' }])).toBe(3)
    expect(hits().map((h) => h.id ?? h.kind)).toEqual(['queued', 'pageView', 'a', 'b'])
  })

  it('records the automatic page view with location path and search, and document.title', () => {
    load()
    expect(hits()).toHaveLength(1)
    expect(hits()[0]).toMatchObject({
      seq: 1,
      kind: 'pageView',
      hubId: '123',
      path: '/landing?utm_source=test',
      title: 'Home',
      identity: null,
      url: 'http://localhost:3000/landing?utm_source=test',
    })
    expect(typeof hits()[0].at).toBe('number')
  })

  it('setPath queued before load sets the automatic view path, and later views keep it', () => {
    w._hsq = [
      ['setPath', '/first?x=1'],
      ['setPath', '/virtual?q=1'],
    ]
    load()
    expect(hits().map((h) => [h.kind, h.path])).toEqual([['pageView', '/virtual?q=1']])
    hsq().push(['trackPageView'])
    hsq().push(['setPath', '/next'], ['trackPageView'])
    expect(hits().map((h) => h.path)).toEqual(['/virtual?q=1', '/virtual?q=1', '/next'])
  })

  it('trackPageView queued before load double counts the first view (as HubSpot documents)', () => {
    w._hsq = [['setPath', '/pricing'], ['trackPageView']]
    load()
    expect(hits().map((h) => [h.kind, h.path])).toEqual([
      ['pageView', '/pricing'],
      ['pageView', '/pricing'],
    ])
  })

  it('a second load does nothing', () => {
    w._hsq = [['trackEvent', { id: 'once' }]]
    load()
    const first = w.__hubspotStandin
    const queue = w._hsq
    load()
    load('')
    expect(w.__hubspotStandin).toBe(first)
    expect(w._hsq).toBe(queue)
    expect(hits().map((h) => h.kind)).toEqual(['legacyEvent', 'pageView'])
    expect(beacon).toHaveBeenCalledTimes(2)
  })

  it('takes its hub id from its src, else from window.__hubspotStandinHubId', () => {
    load('http://127.0.0.1:4173/hubspot/4567.js?delay=10')
    expect(w.__hubspotStandin!.hubId).toBe('4567')
    expect(hits()[0].hubId).toBe('4567')

    delete w.__hubspotStandin
    w.__hubspotStandinHubId = 890
    load('')
    expect(w.__hubspotStandin!.hubId).toBe('890')

    delete w.__hubspotStandin
    delete w.__hubspotStandinHubId
    load('')
    expect(w.__hubspotStandin!.hubId).toBeNull()
  })
})

describe('identify', () => {
  it('identify attaches only to the next hit, then clears', () => {
    w._hsq = [
      ['identify', { email: 'alex@example.com' }],
      ['identify', { firstname: 'Alex' }],
    ]
    load()
    // identify sends nothing: the merged identity rides on the automatic view.
    expect(hits()).toHaveLength(1)
    expect(hits()[0].identity).toEqual({ email: 'alex@example.com', firstname: 'Alex' })

    hsq().push(['trackPageView'])
    expect(hits()[1].identity).toBeNull()

    hsq().push(['identify', { email: 'sam@example.com' }])
    expect(hits()).toHaveLength(2)
    hsq().push(['trackCustomBehavioralEvent', { name: 'pe123_clicked' }])
    hsq().push(['trackEvent', { id: 'after' }])
    expect(
      hits()
        .slice(2)
        .map((h) => h.identity),
    ).toEqual([{ email: 'sam@example.com' }, null])

    hsq().push(['identify', { email: 'kim@example.com' }], ['trackEvent', { id: 'legacy' }])
    expect(hits()[4]).toMatchObject({ kind: 'legacyEvent', identity: { email: 'kim@example.com' } })
  })

  it('identify stores plain JSON values (a Date becomes its ISO string)', () => {
    load()
    hsq().push(['identify', { email: 'a@example.com', since: new Date('2019-10-14T11:15:53.296Z'), skip: undefined }])
    hsq().push(['trackPageView'])
    expect(hits()[1].identity).toEqual({ email: 'a@example.com', since: '2019-10-14T11:15:53.296Z' })
  })
})

describe('events', () => {
  it('trackCustomBehavioralEvent records a custom event hit', () => {
    load()
    document.title = 'Checkout'
    hsq().push(['setPath', '/checkout'])
    hsq().push([
      'trackCustomBehavioralEvent',
      { name: 'pe123_order_completed', properties: { total: 42, coupon: 'X' } },
    ])
    expect(hits()[1]).toMatchObject({
      seq: 2,
      kind: 'customEvent',
      hubId: '123',
      name: 'pe123_order_completed',
      properties: { total: 42, coupon: 'X' },
      path: '/checkout',
      title: 'Checkout',
      identity: null,
    })
    hsq().push(['trackCustomBehavioralEvent', { name: 'pe123_no_props' }])
    expect(hits()[2].properties).toEqual({})
  })

  it('trackEvent records a legacy event hit', () => {
    load()
    hsq().push(['trackEvent', { id: '000001234', value: 12.5 }], ['trackEvent', { id: 'no_value' }])
    expect(hits()[1]).toMatchObject({ kind: 'legacyEvent', id: '000001234', value: 12.5 })
    expect(hits()[2].kind).toBe('legacyEvent')
    expect('value' in hits()[2]).toBe(false)
  })

  it('unknown commands, non-arrays and malformed commands are recorded as unknownCommand', () => {
    load()
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    function listener() {}
    expect(() =>
      hsq().push(
        ['trackPageview'],
        'trackPageView',
        null,
        undefined,
        42,
        [],
        [null],
        ['trackCustomBehavioralEvent', 'pe123_x'],
        ['trackEvent', {}],
        ['setPath'],
        ['identify', 'alex@example.com'],
        ['addPrivacyConsentListener', listener],
        ['toString'],
        ['x', cyclic],
      ),
    ).not.toThrow()
    const unknown = hits().slice(1)
    expect(unknown.every((h) => h.kind === 'unknownCommand' && h.identity === null)).toBe(true)
    expect(unknown.map((h) => h.command)).toEqual([
      ['trackPageview'],
      'trackPageView',
      null,
      undefined, // no command field at all
      42,
      [],
      [null],
      ['trackCustomBehavioralEvent', 'pe123_x'],
      ['trackEvent', {}],
      ['setPath'],
      ['identify', 'alex@example.com'],
      ['addPrivacyConsentListener', '[Function: listener]'],
      ['toString'],
      ['x', { a: 1, self: '[Circular]' }],
    ])
    // Every hit survives JSON as it is (what the page sees is what the server gets).
    for (const hit of hits()) expect(JSON.parse(JSON.stringify(hit))).toEqual(hit)
  })
})

describe('privacy', () => {
  it('doNotTrack stops all hits and sets the cookie; {track: true} removes it and resumes', () => {
    load()
    hsq().push(['doNotTrack'])
    expect(cookie('__hs_do_not_track')).toBe('yes')
    hsq().push(
      ['identify', { email: 'alex@example.com' }],
      ['trackPageView'],
      ['trackCustomBehavioralEvent', { name: 'pe123_x' }],
      ['trackEvent', { id: 'y' }],
      ['typo'],
    )
    expect(hits()).toHaveLength(1)

    hsq().push(['doNotTrack', { track: true }])
    expect(cookie('__hs_do_not_track')).toBeNull()
    hsq().push(['trackPageView'])
    // The identity given while opted out is not sent later.
    expect(hits().map((h) => [h.seq, h.kind, h.identity])).toEqual([
      [1, 'pageView', null],
      [2, 'pageView', null],
    ])
  })

  it('a __hs_do_not_track cookie present at load means no automatic view and no hubspotutk', () => {
    document.cookie = '__hs_do_not_track=yes; path=/'
    w._hsq = [['trackPageView']]
    load()
    expect(hits()).toEqual([])
    expect(cookie('hubspotutk')).toBeNull()
    expect(beacon).not.toHaveBeenCalled()
  })

  it('revokeCookieConsent deletes HubSpot cookies and stops hits until reload', () => {
    load()
    document.cookie = '__hstc=1.2.3; path=/'
    document.cookie = '__hssc=1.1.1; path=/'
    document.cookie = '__hssrc=1; path=/'
    document.cookie = 'other=kept; path=/'
    expect(cookie('hubspotutk')).not.toBeNull()

    hsp().push(['revokeCookieConsent'])
    for (const name of ['hubspotutk', '__hstc', '__hssc', '__hssrc']) expect(cookie(name)).toBeNull()
    expect(cookie('other')).toBe('kept')

    hsq().push(['trackPageView'], ['doNotTrack', { track: true }], ['trackPageView'], ['nonsense'])
    expect(hits()).toHaveLength(1)
    expect(cookie('hubspotutk')).toBeNull()
  })

  it('addPrivacyConsentListener reports consent (queued or live), and the revocation', () => {
    const queued = vi.fn()
    w._hsp = [['addPrivacyConsentListener', queued]]
    load()
    const allowed = { allowed: true, categories: { analytics: true, advertisement: true, functionality: true } }
    expect(queued).toHaveBeenCalledWith(allowed)

    const live = vi.fn(() => {
      throw new Error('a broken listener must not break the tracker')
    })
    expect(() => hsp().push(['addPrivacyConsentListener', live])).not.toThrow()
    expect(live).toHaveBeenCalledWith(allowed)

    hsp().push(['revokeCookieConsent'])
    const revoked = { allowed: false, categories: { analytics: false, advertisement: false, functionality: false } }
    expect(queued).toHaveBeenLastCalledWith(revoked)
    expect(live).toHaveBeenLastCalledWith(revoked)
  })

  it('a revokeCookieConsent queued before load stops the queued hits and the automatic view', () => {
    w._hsp = [['revokeCookieConsent']]
    w._hsq = [['trackEvent', { id: 'x' }]]
    load()
    expect(hits()).toEqual([])
  })

  it('unknown _hsp commands are recorded as unknownCommand', () => {
    load()
    hsp().push(['revokeCookieConsnet'], 'nope')
    expect(
      hits()
        .slice(1)
        .map((h) => [h.kind, h.command]),
    ).toEqual([
      ['unknownCommand', ['revokeCookieConsnet']],
      ['unknownCommand', 'nope'],
    ])
  })
})

describe('hubspotutk', () => {
  it('sets a hubspotutk cookie of 32 lowercase hex characters and sends it with every hit', () => {
    load()
    const utk = cookie('hubspotutk')
    expect(utk).toMatch(/^[0-9a-f]{32}$/)
    hsq().push(['trackEvent', { id: 'x' }])
    expect(hits().map((h) => h.utk)).toEqual([utk, utk])
  })

  it('keeps a hubspotutk cookie that is already there', () => {
    const existing = '0123456789abcdef0123456789abcdef'
    document.cookie = `hubspotutk=${existing}; path=/`
    load()
    expect(cookie('hubspotutk')).toBe(existing)
    expect(hits()[0].utk).toBe(existing)
  })
})

describe('delivery', () => {
  it('posts each hit as a JSON beacon to /__hubspot/hits on its own origin', () => {
    load()
    hsq().push(['trackEvent', { id: 'x' }])
    expect(beacon).toHaveBeenCalledTimes(2)
    expect(beacon.mock.calls.map(([url]) => url)).toEqual([
      'http://127.0.0.1:4173/__hubspot/hits',
      'http://127.0.0.1:4173/__hubspot/hits',
    ])
    expect(beacon.mock.calls.map(([, body]) => JSON.parse(body as string))).toEqual(hits())
  })

  it('routed from js.hs-scripts.com, posts to the page origin or to __hubspotStandinCollector', () => {
    load('https://js.hs-scripts.com/123.js')
    expect(hits()[0].hubId).toBe('123')
    expect(beacon).toHaveBeenLastCalledWith('http://localhost:3000/__hubspot/hits', expect.any(String))

    delete w.__hubspotStandin
    delete w._hsq
    delete w._hsp
    w.__hubspotStandinCollector = 'http://127.0.0.1:9999/__hubspot/hits'
    load('https://js-eu1.hs-scripts.com/123.js')
    expect(beacon).toHaveBeenLastCalledWith('http://127.0.0.1:9999/__hubspot/hits', expect.any(String))
  })

  it('falls back to a keepalive fetch when sendBeacon refuses', () => {
    beacon.mockReturnValue(false)
    const fetchMock = vi.fn(() => Promise.reject(new Error('offline')))
    vi.stubGlobal('fetch', fetchMock)
    expect(() => load()).not.toThrow()
    expect(fetchMock).toHaveBeenCalledWith(
      'http://127.0.0.1:4173/__hubspot/hits',
      expect.objectContaining({ method: 'POST', keepalive: true }),
    )
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(JSON.parse(init.body as string)).toEqual(hits()[0])
  })

  it('dispatches a hubspot-standin:hit window event with each hit', () => {
    const seen: Hit[] = []
    const listener = (event: Event) => seen.push((event as CustomEvent<Hit>).detail)
    window.addEventListener('hubspot-standin:hit', listener)
    try {
      load()
      hsq().push(['trackCustomBehavioralEvent', { name: 'pe123_x' }])
    } finally {
      window.removeEventListener('hubspot-standin:hit', listener)
    }
    expect(seen).toEqual(hits())
    expect(seen[0]).toBe(hits()[0])
  })
})
