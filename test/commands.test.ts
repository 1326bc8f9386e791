// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { groupCommands, identifyCommands, pageCommands, pagePath, type PagePhase } from '../src/core/device/commands'
import { parseSettings } from '../src/core/device/settings'
import type { AnalyticsEvent, Command } from '../src/core/types'
import { ALEX, ALEX_IN_HUBSPOT } from './seeds'

const SETTINGS = parseSettings({ hubId: '123' })
const FLUSH = parseSettings({ hubId: '123', flushIdentify: true })

/** Freezes an object graph so that any mutation by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key])
  }
  return value
}

/**
 * HubSpot's documented page-view behaviour: commands queued before load are replayed in
 * order, then the script records its automatic view for the last setPath (else the URL).
 * Returns the paths recorded as views.
 */
function hubspotViews(beforeLoad: Command[], afterLoad: Command[], url: string): string[] {
  const views: string[] = []
  let path: string | null = null
  const run = (command: Command) => {
    if (command[0] === 'setPath') path = command[1]
    if (command[0] === 'trackPageView') views.push(path ?? url)
  }
  beforeLoad.forEach(run)
  views.push(path ?? url)
  afterLoad.forEach(run)
  return views
}

describe('pageCommands: before hubspot.js has loaded', () => {
  it('pushes only setPath for the first page (the automatic view records it)', () => {
    expect(pageCommands('fresh', { path: '/pricing?plan=pro', loaded: false, atLoadLocation: false })).toEqual({
      commands: [['setPath', '/pricing?plan=pro']],
      phase: 'queued',
    })
  })

  it('pushes trackPageView (for the queued path) then setPath for a second page', () => {
    expect(pageCommands('queued', { path: '/docs', loaded: false, atLoadLocation: false })).toEqual({
      commands: [['trackPageView'], ['setPath', '/docs']],
      phase: 'queued',
    })
  })

  it('records each of three page calls before load exactly once', () => {
    const queue: Command[] = []
    let phase: PagePhase = 'fresh'
    for (const path of ['/a', '/b', '/c']) {
      const result = pageCommands(phase, { path, loaded: false, atLoadLocation: false })
      queue.push(...result.commands)
      phase = result.phase
    }
    expect(queue).toEqual([
      ['setPath', '/a'],
      ['trackPageView'],
      ['setPath', '/b'],
      ['trackPageView'],
      ['setPath', '/c'],
    ])
    expect(hubspotViews(queue, [], '/a')).toEqual(['/a', '/b', '/c'])
  })
})

describe('pageCommands: after hubspot.js has loaded', () => {
  it('pushes nothing for the first page while the location is still the one it loaded at', () => {
    expect(pageCommands('fresh', { path: '/pricing', loaded: true, atLoadLocation: true })).toEqual({
      commands: [],
      phase: 'loaded',
    })
    expect(pageCommands('unclaimed', { path: '/pricing', loaded: true, atLoadLocation: true })).toEqual({
      commands: [],
      phase: 'loaded',
    })
  })

  it('records a view for the first page when the location has changed since load', () => {
    expect(pageCommands('fresh', { path: '/docs', loaded: true, atLoadLocation: false })).toEqual({
      commands: [['setPath', '/docs'], ['trackPageView']],
      phase: 'loaded',
    })
    expect(pageCommands('unclaimed', { path: '/docs', loaded: true, atLoadLocation: false })).toEqual({
      commands: [['setPath', '/docs'], ['trackPageView']],
      phase: 'loaded',
    })
  })

  it('pushes setPath then trackPageView for every later page, even at the load location', () => {
    expect(pageCommands('loaded', { path: '/pricing', loaded: true, atLoadLocation: true })).toEqual({
      commands: [['setPath', '/pricing'], ['trackPageView']],
      phase: 'loaded',
    })
  })

  it('records a view for a page after load when a setPath was queued before it (that view is already claimed)', () => {
    expect(pageCommands('queued', { path: '/pricing', loaded: true, atLoadLocation: true })).toEqual({
      commands: [['setPath', '/pricing'], ['trackPageView']],
      phase: 'loaded',
    })
  })

  it('counts an initial page and two navigations as three views when the page call comes after load', () => {
    const after: Command[] = []
    let phase: PagePhase = 'fresh'
    for (const [path, atLoadLocation] of [
      ['/pricing', true],
      ['/docs', false],
      ['/pricing', false],
    ] as const) {
      const result = pageCommands(phase, { path, loaded: true, atLoadLocation })
      after.push(...result.commands)
      phase = result.phase
    }
    expect(after).toEqual([['setPath', '/docs'], ['trackPageView'], ['setPath', '/pricing'], ['trackPageView']])
    expect(hubspotViews([], after, '/pricing')).toEqual(['/pricing', '/docs', '/pricing'])
  })
})

describe('pagePath', () => {
  it('takes path and search from the properties', () => {
    expect(pagePath({ properties: { path: '/pricing', search: '?plan=pro' } }, '/fallback')).toBe('/pricing?plan=pro')
  })

  it("adds the '?' when the search lacks it", () => {
    expect(pagePath({ properties: { path: '/pricing', search: 'plan=pro' } }, '/fallback')).toBe('/pricing?plan=pro')
  })

  it('uses the path alone when the search is empty or missing', () => {
    expect([
      pagePath({ properties: { path: '/pricing', search: '' } }, '/fallback'),
      pagePath({ properties: { path: '/pricing' } }, '/fallback'),
    ]).toEqual(['/pricing', '/pricing'])
  })

  it('falls back to context.page', () => {
    expect(pagePath({ properties: {}, context: { page: { path: '/docs', search: 'q=1' } } }, '/fallback')).toBe(
      '/docs?q=1',
    )
  })

  it('falls back to the given location when neither has a path', () => {
    expect(pagePath({ properties: { title: 'Pricing' }, context: {} }, '/pricing?plan=pro')).toBe('/pricing?plan=pro')
    expect(pagePath({}, '/')).toBe('/')
  })

  it('ignores protocol-relative paths, which would name another host', () => {
    expect(
      pagePath({ properties: { path: '//evil.example/x' }, context: { page: { path: '/docs' } } }, '/fallback'),
    ).toBe('/docs')
    expect(
      pagePath(
        { properties: { path: '//evil.example/x' }, context: { page: { path: '//evil.example/y' } } },
        '/fallback',
      ),
    ).toBe('/fallback')
  })

  it('ignores absolute URLs and non-string paths', () => {
    expect(
      pagePath({ properties: { path: 'https://evil.example/x' }, context: { page: { path: 42 } } }, '/fallback'),
    ).toBe('/fallback')
  })
})

describe('identifyCommands', () => {
  it('pushes identify with the normalized traits and traits.email', () => {
    expect(
      identifyCommands(
        { userId: 'user-1', traits: { email: 'alex@example.com', firstName: 'Alex', Plan: 'pro' } },
        SETTINGS,
        true,
      ),
    ).toEqual({
      commands: [['identify', { email: 'alex@example.com', firstname: 'Alex', plan: 'pro' }]],
      notes: [],
    })
  })

  it('takes the email from a userId that is an email when traits have none', () => {
    expect(
      identifyCommands({ userId: ' alex@example.com ', traits: { firstName: 'Alex' } }, SETTINGS, true).commands,
    ).toEqual([['identify', { firstname: 'Alex', email: 'alex@example.com' }]])
  })

  it('prefers traits.email over an email userId', () => {
    expect(
      identifyCommands({ userId: 'old@example.com', traits: { email: 'new@example.com' } }, SETTINGS, true).commands,
    ).toEqual([['identify', { email: 'new@example.com' }]])
  })

  it('falls back to an email userId when traits.email is not a valid email', () => {
    expect(identifyCommands({ userId: 'alex@example.com', traits: { email: 'n/a' } }, SETTINGS, true).commands).toEqual(
      [['identify', { email: 'alex@example.com' }]],
    )
  })

  it('pushes nothing without a valid email, and says why', () => {
    for (const event of [
      { userId: 'user-1', traits: { firstName: 'Alex' } },
      { userId: 'user-1', traits: { email: 'unknown' } },
      { anonymousId: 'anon-1' },
      {},
    ] as AnalyticsEvent[]) {
      const { commands, notes } = identifyCommands(event, FLUSH, true)
      expect(commands).toEqual([])
      expect(notes).toHaveLength(1)
      expect(notes[0]).toMatch(/valid email/)
    }
  })

  it('never sends the userId or anonymousId as id', () => {
    expect(
      identifyCommands(
        { userId: 'user-1', anonymousId: 'anon-1', traits: { email: 'alex@example.com' } },
        SETTINGS,
        true,
      ).commands,
    ).toEqual([['identify', { email: 'alex@example.com' }]])
    expect(
      identifyCommands({ userId: 'user-1', traits: { id: 'user-1', email: 'alex@example.com' } }, SETTINGS, true)
        .commands,
    ).toEqual([['identify', { email: 'alex@example.com' }]])
    expect(
      identifyCommands({ anonymousId: 'anon-1', traits: { id: 'anon-1', email: 'alex@example.com' } }, SETTINGS, true)
        .commands,
    ).toEqual([['identify', { email: 'alex@example.com' }]])
  })

  it('never sends the userId as id when traits.id is the same id as a number', () => {
    expect(
      identifyCommands({ userId: '42', traits: { id: 42, email: 'alex@example.com' } }, SETTINGS, true).commands,
    ).toEqual([['identify', { email: 'alex@example.com' }]])
  })

  it('with flushIdentify, adds trackPageView after hubspot.js has loaded', () => {
    expect(identifyCommands({ traits: { email: 'alex@example.com' } }, FLUSH, true).commands).toEqual([
      ['identify', { email: 'alex@example.com' }],
      ['trackPageView'],
    ])
  })

  it('with flushIdentify, adds no trackPageView before load (the automatic view carries the traits)', () => {
    expect(identifyCommands({ traits: { email: 'alex@example.com' } }, FLUSH, false).commands).toEqual([
      ['identify', { email: 'alex@example.com' }],
    ])
  })

  it('without flushIdentify, never adds a trackPageView (the traits wait for the next hit)', () => {
    expect(identifyCommands({ traits: { email: 'alex@example.com' } }, SETTINGS, true).commands).toEqual([
      ['identify', { email: 'alex@example.com' }],
    ])
  })

  it('sends the seed Alex identify, persisted as JSON, with custom_date1 as epoch ms', () => {
    const traits = JSON.parse(JSON.stringify(ALEX)) as Record<string, unknown>
    expect(identifyCommands({ type: 'identify', traits }, SETTINGS, false).commands).toEqual([
      ['identify', ALEX_IN_HUBSPOT],
    ])
  })

  it('never mutates the event', () => {
    const event = deepFreeze({
      userId: 'user-1',
      traits: { id: 'user-1', email: ' alex@example.com ', address: { city: 'Paris' } },
    })
    const before = structuredClone(event)
    expect(identifyCommands(event, FLUSH, true).commands).toEqual([
      ['identify', { email: 'alex@example.com', city: 'Paris' }],
      ['trackPageView'],
    ])
    expect(event).toEqual(before)
  })
})

describe('groupCommands', () => {
  it('buffers traits.name as the company of the known contact', () => {
    expect(groupCommands({ traits: { name: ' Initech ' } }, 'alex@example.com')).toEqual({
      commands: [['identify', { email: 'alex@example.com', company: 'Initech' }]],
      notes: [],
    })
  })

  it('takes the company from traits.company.name', () => {
    expect(groupCommands({ traits: { company: { name: 'Initech' } } }, 'alex@example.com').commands).toEqual([
      ['identify', { email: 'alex@example.com', company: 'Initech' }],
    ])
  })

  it('prefers traits.name over traits.company.name', () => {
    expect(
      groupCommands({ traits: { name: 'Initech', company: { name: 'Initrode' } } }, 'alex@example.com').commands,
    ).toEqual([['identify', { email: 'alex@example.com', company: 'Initech' }]])
  })

  it('pushes nothing without an email from an earlier identify, and says why', () => {
    const { commands, notes } = groupCommands({ traits: { name: 'Initech' } }, null)
    expect(commands).toEqual([])
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/email/)
  })

  it('pushes nothing without a company name, and says why', () => {
    for (const traits of [{}, { name: '  ' }, { name: 42 }, { company: {} }]) {
      const { commands, notes } = groupCommands({ traits }, 'alex@example.com')
      expect(commands).toEqual([])
      expect(notes).toHaveLength(1)
      expect(notes[0]).toMatch(/company name/)
    }
  })
})
