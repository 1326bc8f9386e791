// @vitest-environment jsdom
// The HubSpot stand-in (demo/hubspot-standin.js) is the oracle of the demo and the e2e tests:
// these tests pin it to what HubSpot's real tracker was observed to do (REFERENCE.md,
// "HubSpot's tracker as observed"), one fact at a time, reading the beacon URLs it sends.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Hit as E2EHit } from '../e2e/fixtures'
// @ts-expect-error: plain ESM module without types
import { decodeBeacon } from '../demo/beacons.mjs'

// (A path, not a URL object: under jsdom the global URL is jsdom's, which fs does not accept.)
const SCRIPT = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../demo/hubspot-standin.js'), 'utf8')
const HUBSPOT_SRC = 'https://js.hs-scripts.com/123.js'

/** A decoded beacon, as the e2e tests see it (without the collector's sequence number). */
type Hit = Omit<E2EHit, 'seq'>

type Queue = unknown[] & { push(...items: unknown[]): number }

interface StandinWindow {
  _hsq?: Queue
  _hsp?: Queue
  __hubspotStandin?: {
    hubId: string | null
    build: string
    beacons: string[]
    duplicates: string[]
    unknown: unknown[]
  }
  __hubspotStandinHubId?: string | number
  __hubspotStandinCollector?: string
  __hubspotStandinBuild?: string
  __hubspotStandinBanner?: string
}

const w = window as unknown as Window & StandinWindow
const decode = (url: string): Hit => decodeBeacon(url) as Hit

/** Runs the stand-in as if loaded from `src` ('' = inline, no src), after what the page queued. */
function load(src: string = HUBSPOT_SRC): void {
  Object.defineProperty(document, 'currentScript', { configurable: true, value: src ? { src } : null })
  try {
    window.eval(SCRIPT)
  } finally {
    delete (document as unknown as { currentScript?: unknown }).currentScript
  }
}

const hsq = (): Queue => w._hsq!
const hsp = (): Queue => w._hsp!
const beacons = (): string[] => w.__hubspotStandin!.beacons
const hits = (): Hit[] => beacons().map(decode)
const kinds = () => hits().map((h) => h.kind)

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

/** Records every cookie the stand-in writes, attributes included (document.cookie hides them). */
function recordCookieWrites(): string[] {
  const writes: string[] = []
  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')!
  vi.spyOn(document, 'cookie', 'set').mockImplementation(function (this: Document, value: string) {
    writes.push(value)
    descriptor.set!.call(this, value)
  })
  return writes
}

let readyState: DocumentReadyState = 'complete'

beforeEach(() => {
  for (const key of [
    '_hsq',
    '_hsp',
    '__hubspotStandin',
    '__hubspotStandinHubId',
    '__hubspotStandinCollector',
    '__hubspotStandinBuild',
    '__hubspotStandinBanner',
  ])
    delete (w as unknown as Record<string, unknown>)[key]
  clearCookies()
  document.title = 'Home'
  window.history.replaceState(null, '', '/landing?utm_source=test')
  readyState = 'complete'
  vi.spyOn(document, 'readyState', 'get').mockImplementation(() => readyState)
  vi.spyOn(console, 'error').mockImplementation(() => {})
})

afterEach(() => {
  vi.useRealTimers()
})

describe('queues', () => {
  it('keeps _hsq and _hsp as the same arrays and only replaces their push', () => {
    const queue: unknown[] = [['setPath', '/a']]
    const privacy: unknown[] = []
    w._hsq = queue
    w._hsp = privacy
    load()
    expect(w._hsq).toBe(queue)
    expect(w._hsp).toBe(privacy)
    expect(Array.isArray(w._hsq)).toBe(true)
    expect(hsq().push).not.toBe(Array.prototype.push)
    expect(hsp().push).not.toBe(Array.prototype.push)
  })

  it('build 1.398 applies every queued setPath and identify first, then the rest in order', () => {
    w._hsq = [
      ['trackEvent', { id: 'first' }],
      ['setPath', '/a'],
      ['trackCustomBehavioralEvent', { name: 'pe123_second' }],
      ['identify', { email: 'alex@example.com' }],
      ['setPath', '/b'],
    ] as Queue
    load()
    // Both events were sent after both setPaths and the identify: path /b, with the identity.
    expect(hits().map((h) => [h.kind, h.id ?? h.name ?? null, h.path, h.identity?.email])).toEqual([
      ['legacyEvent', 'first', '/b', 'alex@example.com'],
      ['customEvent', 'pe123_second', '/b', 'alex@example.com'],
      ['pageView', null, '/b', 'alex@example.com'],
    ])
  })

  it('the 2023 build also applies doNotTrack first and runs every queued trackPageView before the rest', () => {
    w.__hubspotStandinBuild = '2023'
    w._hsq = [['trackEvent', { id: 'first' }], ['trackPageView'], ['setPath', '/a']] as Queue
    load()
    expect(w.__hubspotStandin!.build).toBe('2023')
    // The queued view, then the automatic one (both views run before the event), then the event.
    expect(hits().map((h) => [h.kind, h.path])).toEqual([
      ['pageView', '/a'],
      ['pageView', '/a'],
      ['legacyEvent', '/a'],
    ])

    delete w.__hubspotStandin
    delete w._hsq
    w._hsq = [['trackEvent', { id: 'before' }], ['doNotTrack']] as Queue
    load('https://js.hs-scripts.com/123.js?build=2023')
    expect(beacons()).toEqual([])
  })

  it('build 1.398 runs a queued doNotTrack at its place: what came before it is sent, nothing after', () => {
    w._hsq = [['trackEvent', { id: 'before' }], ['doNotTrack'], ['trackEvent', { id: 'after' }]] as Queue
    load()
    expect(hits().map((h) => h.id ?? h.kind)).toEqual(['before'])
  })

  for (const build of ['1.398', '2023']) {
    it(`calls a function pushed into _hsq at its place, and inside it push runs at once (build ${build})`, () => {
      w.__hubspotStandinBuild = build
      const order: string[] = []
      w._hsq = [
        ['trackEvent', { id: 'one' }],
        () => {
          order.push(`inside: ${beacons().length} beacon(s) so far`)
          hsq().push(['setPath', '/from-function'], ['trackPageView'])
          order.push(`after push: ${beacons().length}`)
        },
        ['trackEvent', { id: 'two' }],
      ] as Queue
      load()
      // The automatic view: last in 1.398; in 2023 before the rest of the queue, so before the function.
      const before = build === '2023' ? 2 : 1
      expect(order).toEqual([`inside: ${before} beacon(s) so far`, `after push: ${before + 1}`])
      const landing = '/landing?utm_source=test'
      const inOrder = [
        ['legacyEvent', 'one', landing],
        ['pageView', null, '/from-function'],
        ['legacyEvent', 'two', '/from-function'],
      ]
      expect(hits().map((h) => [h.kind, h.id ?? null, h.path])).toEqual(
        build === '2023'
          ? [['pageView', null, landing], ...inOrder]
          : [...inOrder, ['pageView', null, '/from-function']],
      )
    })
  }

  it('a function that throws does not stop the queue', () => {
    w._hsq = [
      () => {
        throw new Error('site bug')
      },
      ['trackEvent', { id: 'after' }],
    ] as Queue
    expect(() => load()).not.toThrow()
    expect(kinds()).toEqual(['legacyEvent', 'pageView'])
  })
})

describe('the automatic page view', () => {
  it('is a trackPageView the tracker queues for itself, at the end of _hsq', () => {
    w._hsq = [['trackEvent', { id: 'queued' }]] as Queue
    load()
    expect(Array.from(hsq())).toEqual([['trackEvent', { id: 'queued' }], ['trackPageView']])
    expect(kinds()).toEqual(['legacyEvent', 'pageView'])
  })

  it('runs once the document has finished loading; commands pushed meanwhile wait in order', () => {
    readyState = 'interactive'
    w._hsq = [['setPath', '/queued']] as Queue
    load()
    hsq().push(['trackEvent', { id: 'meanwhile' }])
    expect(beacons()).toEqual([])
    readyState = 'complete'
    window.dispatchEvent(new Event('load'))
    expect(hits().map((h) => [h.kind, h.path])).toEqual([
      ['pageView', '/queued'],
      ['legacyEvent', '/queued'],
    ])
    hsq().push(['trackEvent', { id: 'live' }])
    expect(hits()).toHaveLength(3)
  })

  it('takes the last setPath applied, else the location path and query, and document.title at that moment', () => {
    w._hsq = [
      ['setPath', '/first?x=1'],
      ['setPath', '/virtual?q=1'],
    ] as Queue
    load()
    expect(hits()).toMatchObject([{ kind: 'pageView', path: '/virtual?q=1', title: 'Home' }])

    delete w.__hubspotStandin
    delete w._hsq
    load()
    expect(hits()).toMatchObject([{ kind: 'pageView', path: '/landing?utm_source=test', title: 'Home' }])
  })

  it('a trackPageView queued before load double counts the first view (as HubSpot documents)', () => {
    w._hsq = [['setPath', '/pricing'], ['trackPageView']] as Queue
    load()
    expect(hits().map((h) => [h.kind, h.path])).toEqual([
      ['pageView', '/pricing'],
      ['pageView', '/pricing'],
    ])
  })
})

describe('beacons', () => {
  it('are image GETs to https://track.hubspot.com/__ptq.gif (k=1) with a, po, pu, t, vi, u, b', () => {
    const requested: string[] = []
    class FakeImage {
      set src(url: string) {
        requested.push(url)
      }
    }
    vi.stubGlobal('Image', FakeImage)
    try {
      w._hsq = [['setPath', '/pricing?plan=pro']] as Queue
      load()
    } finally {
      vi.unstubAllGlobals()
    }
    expect(requested).toEqual(beacons())
    const url = new URL(requested[0])
    expect(url.origin + url.pathname).toBe('https://track.hubspot.com/__ptq.gif')
    expect([...url.searchParams.keys()]).toEqual(['a', 'k', 'po', 'pu', 't', 'vi', 'u', 'b', 'cts'])
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      a: '123',
      k: '1',
      po: '/pricing?plan=pro',
      pu: 'http://localhost:3000/landing?utm_source=test',
      t: 'Home',
      vi: cookie('hubspotutk'),
      u: cookie('__hstc'),
      b: cookie('__hssc'),
    })
  })

  it('a view after a navigation carries the previous path as rpo', () => {
    load()
    hsq().push(['setPath', '/next'], ['trackPageView'], ['trackPageView'])
    expect(hits().map((h) => [h.path, h.previousPath])).toEqual([
      ['/landing?utm_source=test', undefined],
      ['/next', '/landing?utm_source=test'],
      ['/next', undefined],
    ])
  })

  it('legacy events go to __ptq.gif with k=3, n = id and m = value', () => {
    load()
    hsq().push(['trackEvent', { id: '000001234', value: 12.5 }])
    const url = new URL(beacons()[1])
    expect(url.pathname).toBe('/__ptq.gif')
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ k: '3', n: '000001234', m: '12.5' })
    expect(hits()[1]).toMatchObject({ kind: 'legacyEvent', id: '000001234', value: '12.5' })
  })

  it('custom behavioral events go to __ptbe.gif with n = internal name and one _<property> each', () => {
    load()
    document.title = 'Checkout'
    hsq().push([
      'trackCustomBehavioralEvent',
      { name: 'pe123_order_completed', properties: { total: '42', coupon: 'X' } },
    ])
    const url = new URL(beacons()[1])
    expect(url.origin + url.pathname).toBe('https://track.hubspot.com/__ptbe.gif')
    expect(url.searchParams.get('n')).toBe('pe123_order_completed')
    expect(url.searchParams.get('_total')).toBe('42')
    expect(url.searchParams.get('_coupon')).toBe('X')
    expect(hits()[1]).toMatchObject({
      kind: 'customEvent',
      name: 'pe123_order_completed',
      properties: { total: '42', coupon: 'X' },
      title: 'Checkout',
    })
  })

  it('EU accounts (loaded from js-eu1.hs-scripts.com) use track-eu1.hubspot.com', () => {
    load('https://js-eu1.hs-scripts.com/123.js')
    expect(new URL(beacons()[0]).host).toBe('track-eu1.hubspot.com')
    expect(hits()[0].host).toBe('track-eu1.hubspot.com')
  })

  it('two beacons with the same URL in the same millisecond reach the network once', () => {
    vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z'), toFake: ['Date'] })
    load()
    hsq().push(['trackEvent', { id: 'twice' }], ['trackEvent', { id: 'twice' }])
    expect(hits().map((h) => h.id ?? h.kind)).toEqual(['pageView', 'twice'])
    expect(w.__hubspotStandin!.duplicates).toHaveLength(1)
    vi.setSystemTime(Date.now() + 1)
    hsq().push(['trackEvent', { id: 'twice' }])
    expect(hits().map((h) => h.id ?? h.kind)).toEqual(['pageView', 'twice', 'twice'])
  })

  it('dispatches a hubspot-standin:beacon window event with each URL', () => {
    const seen: string[] = []
    const listener = (event: Event) => seen.push((event as CustomEvent<{ url: string }>).detail.url)
    window.addEventListener('hubspot-standin:beacon', listener)
    try {
      load()
      hsq().push(['trackCustomBehavioralEvent', { name: 'pe123_x' }])
    } finally {
      window.removeEventListener('hubspot-standin:beacon', listener)
    }
    expect(seen).toEqual(beacons())
  })

  it('served from a local origin (or given __hubspotStandinCollector), beacons go there as /__hubspot/{host}/…', () => {
    load('http://127.0.0.1:4173/hubspot/123.js')
    expect(beacons()[0]).toMatch(/^http:\/\/127\.0\.0\.1:4173\/__hubspot\/track\.hubspot\.com\/__ptq\.gif\?a=123&k=1&/)
    expect(hits()[0]).toMatchObject({ host: 'track.hubspot.com', hubId: '123' })

    delete w.__hubspotStandin
    delete w._hsq
    w.__hubspotStandinCollector = 'http://127.0.0.1:9999'
    load()
    expect(beacons()[0]).toMatch(/^http:\/\/127\.0\.0\.1:9999\/__hubspot\/track\.hubspot\.com\/__ptq\.gif\?/)
  })
})

describe('values are text', () => {
  it('every value is written as text and falsy values empty: 0 and false arrive as _quantity= and _gift=', () => {
    load()
    hsq().push([
      'trackCustomBehavioralEvent',
      { name: 'pe123_x', properties: { quantity: 0, gift: false, price: 12.5, sent: true, text: '0', none: '' } },
    ])
    const url = beacons()[1]
    expect(url).toContain('&_quantity=&_gift=&_price=12.5&_sent=true&_text=0&_none=&')
    expect(hits()[1].properties).toEqual({ quantity: '', gift: '', price: '12.5', sent: 'true', text: '0', none: '' })
  })

  it('a legacy value: 0 arrives as m=, "0" as m=0', () => {
    load()
    hsq().push(['trackEvent', { id: 'a', value: 0 }], ['trackEvent', { id: 'b', value: '0' }])
    expect(beacons()[1]).toMatch(/&m=&/)
    expect(
      hits()
        .slice(1)
        .map((h) => h.value),
    ).toEqual(['', '0'])
  })

  it('identify values too: a 0 or false trait arrives empty in i', () => {
    load()
    hsq().push(['identify', { email: 'a@example.com', seats: 0, vip: false, plan: 'pro' }], ['trackPageView'])
    expect(hits()[1].identity).toEqual({ email: 'a@example.com', seats: '', vip: '', plan: 'pro' })
  })
})

describe('identity', () => {
  it('identify sends nothing by itself; the identity then rides on every later hit of the page', () => {
    load()
    hsq().push(['identify', { email: 'alex@example.com' }])
    expect(hits()).toHaveLength(1)
    hsq().push(['identify', { firstname: 'Alex' }])
    hsq().push(['trackPageView'], ['trackEvent', { id: 'later' }], ['trackCustomBehavioralEvent', { name: 'pe123_x' }])
    const identity = { email: 'alex@example.com', firstname: 'Alex' }
    expect(hits().map((h) => h.identity)).toEqual([null, identity, identity, identity])
  })

  it('is the URL-encoded key=value&… text in the i parameter', () => {
    load()
    hsq().push(['identify', { email: 'a+b@example.com', name: 'A & B' }], ['trackPageView'])
    expect(new URL(beacons()[1]).searchParams.get('i')).toBe('email=a%2Bb%40example.com&name=A%20%26%20B')
  })

  it('an identify queued before load also lands on events queued before it', () => {
    w._hsq = [
      ['trackEvent', { id: 'early' }],
      ['identify', { email: 'alex@example.com' }],
    ] as Queue
    load()
    expect(hits().map((h) => h.identity)).toEqual([{ email: 'alex@example.com' }, { email: 'alex@example.com' }])
  })

  it('never sends id unless given', () => {
    load()
    hsq().push(['identify', { email: 'alex@example.com' }], ['trackPageView'])
    expect(hits()[1].identity).not.toHaveProperty('id')
    hsq().push(['identify', { id: 'ext-1' }], ['trackPageView'])
    expect(hits()[2].identity).toEqual({ email: 'alex@example.com', id: 'ext-1' })
  })
})

describe('cookies', () => {
  it('hubspotutk is 32 lower-case hex characters, kept 390 days, and equal to vi', () => {
    const writes = recordCookieWrites()
    load()
    const utk = cookie('hubspotutk')
    expect(utk).toMatch(/^[0-9a-f]{32}$/)
    expect(hits()[0].utk).toBe(utk)
    expect(writes.find((c) => c.startsWith('hubspotutk='))).toMatch(/; max-age=33696000(;|$)/)
  })

  it('__hstc is kept 390 days, __hssc 30 minutes, __hssrc for the session', () => {
    const writes = recordCookieWrites()
    load()
    const utk = cookie('hubspotutk')
    expect(cookie('__hstc')).toMatch(new RegExp(`^\\d+\\.${utk}\\.\\d+\\.\\d+\\.\\d+\\.1$`))
    expect(cookie('__hssc')).toMatch(/^\d+\.1\.\d+$/)
    expect(cookie('__hssrc')).toBe('1')
    expect(writes.find((c) => c.startsWith('__hstc='))).toMatch(/; max-age=33696000(;|$)/)
    expect(writes.find((c) => c.startsWith('__hssc='))).toMatch(/; max-age=1800(;|$)/)
    expect(writes.find((c) => c.startsWith('__hssrc='))).not.toMatch(/max-age|expires/)
  })

  it('keeps a visitor whose hubspotutk is already there', () => {
    const existing = '0123456789abcdef0123456789abcdef'
    document.cookie = `hubspotutk=${existing}; path=/`
    load()
    expect(cookie('hubspotutk')).toBe(existing)
    expect(hits()[0].utk).toBe(existing)
  })

  it('are written only once the cookie banner has handled _hsp: a tracker that runs before it sends its first beacon without u and b', async () => {
    w.__hubspotStandinBanner = 'late'
    w._hsq = [['trackEvent', { id: 'early' }]] as Queue
    w._hsp = []
    load()
    expect(cookie('hubspotutk')).toBeNull()
    expect(hsp().push).toBe(Array.prototype.push)
    expect(hits().map((h) => [h.kind, h.hstc, h.hssc])).toEqual([
      ['legacyEvent', null, null],
      ['pageView', null, null],
    ])
    const vi0 = hits()[0].utk
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(cookie('hubspotutk')).toBe(vi0)
    hsq().push(['trackEvent', { id: 'later' }])
    expect(hits()[2]).toMatchObject({ utk: vi0, hstc: cookie('__hstc'), hssc: cookie('__hssc') })
  })
})

describe('opt-out', () => {
  it('doNotTrack sets __hs_do_not_track=yes and stops every beacon; {track: true} removes it and resumes', () => {
    load()
    hsq().push(['doNotTrack'])
    expect(cookie('__hs_do_not_track')).toBe('yes')
    hsq().push(
      ['identify', { email: 'alex@example.com' }],
      ['trackPageView'],
      ['trackCustomBehavioralEvent', { name: 'pe123_x' }],
      ['trackEvent', { id: 'y' }],
    )
    expect(hits()).toHaveLength(1)
    hsq().push(['doNotTrack', { track: true }])
    expect(cookie('__hs_do_not_track')).toBeNull()
    hsq().push(['trackPageView'])
    expect(kinds()).toEqual(['pageView', 'pageView'])
  })

  it('a doNotTrack queued before load stops the automatic view too, and a __hs_do_not_track cookie stops everything', () => {
    w._hsq = [['doNotTrack']] as Queue
    load()
    expect(beacons()).toEqual([])

    delete w.__hubspotStandin
    delete w._hsq
    clearCookies()
    document.cookie = '__hs_do_not_track=yes; path=/'
    load()
    expect(beacons()).toEqual([])
    expect(cookie('hubspotutk')).toBeNull()
  })

  it('revokeCookieConsent sends one k=30 rv=1 beacon, removes the cookies and goes on cookieless with a new visitor id', () => {
    load()
    document.cookie = 'other=kept; path=/'
    const before = cookie('hubspotutk')
    hsp().push(['revokeCookieConsent'])
    expect(hits()[1]).toMatchObject({ kind: 'revocation', revoked: true, utk: before })
    expect(Object.fromEntries(new URL(beacons()[1]).searchParams)).toMatchObject({ k: '30', rv: '1' })
    for (const name of ['hubspotutk', '__hstc', '__hssc', '__hssrc']) expect(cookie(name)).toBeNull()
    expect(cookie('other')).toBe('kept')

    hsq().push(['trackPageView'], ['trackEvent', { id: 'still tracked' }])
    const after = hits().slice(2)
    expect(after.map((h) => h.kind)).toEqual(['pageView', 'legacyEvent'])
    expect(after.every((h) => h.utk !== before && /^[0-9a-f]{32}$/.test(h.utk))).toBe(true)
    expect(after.every((h) => h.hstc === null && h.hssc === null)).toBe(true)
    expect(cookie('hubspotutk')).toBeNull()
  })

  it('addPrivacyConsentListener reports consent (queued or live), and the revocation', () => {
    const queued = vi.fn()
    w._hsp = [['addPrivacyConsentListener', queued]] as Queue
    load()
    const allowed = { allowed: true, categories: { analytics: true, advertisement: true, functionality: true } }
    expect(queued).toHaveBeenCalledWith(allowed)
    hsp().push(['revokeCookieConsent'])
    expect(queued).toHaveBeenLastCalledWith({
      allowed: false,
      categories: { analytics: false, advertisement: false, functionality: false },
    })
  })
})

describe('strictness and loading', () => {
  it('an unknown or malformed command is a console.error and is listed, and never throws', () => {
    load()
    expect(() =>
      hsq().push(
        ['trackPageview'],
        'trackPageView',
        null,
        [],
        ['trackCustomBehavioralEvent', 'pe123_x'],
        ['trackEvent', {}],
        ['setPath'],
        ['identify', 'alex@example.com'],
        ['toString'],
      ),
    ).not.toThrow()
    expect(() => hsp().push(['revokeCookieConsnet'], ['addPrivacyConsentListener', 'x'])).not.toThrow()
    expect(w.__hubspotStandin!.unknown).toHaveLength(11)
    expect(console.error).toHaveBeenCalledWith('[HubSpot stand-in] unknown _hsq command:', ['trackPageview'])
    expect(console.error).toHaveBeenCalledWith('[HubSpot stand-in] unknown _hsp command:', ['revokeCookieConsnet'])
    expect(hits()).toHaveLength(1)
  })

  it('a second copy does nothing', () => {
    load()
    const first = w.__hubspotStandin
    const push = hsq().push
    load()
    load('')
    expect(w.__hubspotStandin).toBe(first)
    expect(hsq().push).toBe(push)
    expect(beacons()).toHaveLength(1)
  })

  it('takes its hub id from its src, else from window.__hubspotStandinHubId', () => {
    load('http://127.0.0.1:4173/hubspot/4567.js?delay=10')
    expect(w.__hubspotStandin!.hubId).toBe('4567')
    expect(hits()[0].hubId).toBe('4567')
    delete w.__hubspotStandin
    delete w._hsq
    w.__hubspotStandinHubId = 890
    load('')
    expect(w.__hubspotStandin!.hubId).toBe('890')
  })
})
