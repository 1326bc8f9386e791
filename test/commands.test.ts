// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { groupCommands, identifyCommands, pagePath, pageStep, pageTitle } from '../src/core/device/commands'
import { parseSettings } from '../src/core/device/settings'
import type { AnalyticsEvent } from '../src/core/types'
import { ALEX, ALEX_SENT } from './seeds'

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

describe('pageStep: one HubSpot view per page call', () => {
  it('before hubspot.js has taken over _hsq, every page call is queued (replayed at its place)', () => {
    expect([pageStep(true, false, false), pageStep(false, false, true)]).toEqual(['queue', 'queue'])
  })

  it('after it, the first page call at the location it loaded at is its automatic view: nothing to send', () => {
    expect(pageStep(true, true, true)).toBe('none')
  })

  it('after it, the first page call at another location is a view of its own', () => {
    expect(pageStep(true, true, false)).toBe('view')
  })

  it('after earlier page calls (queued ones, the last of which its automatic view records), every page call is a view of its own', () => {
    expect(pageStep(false, true, true)).toBe('view')
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

  it('explicit path wins: a context.page.path the call gave (it differs from what analytics-next filled from the location)', () => {
    // analytics.page('Shop', 'Fried', {}, { context: { page: { path: '/fried-chicken' } } }) after a navigation to /menu
    const event = {
      properties: { path: '/menu', search: '', title: 'Menu', name: 'Fried' },
      context: { page: { path: '/fried-chicken', search: '', title: 'Menu' } },
    }
    expect(pagePath(event, '/menu')).toBe('/fried-chicken')
  })

  it('explicit path wins: a properties.path the call gave (analytics-next copies it into context.page)', () => {
    const event = {
      properties: { path: '/virtual', search: '?q=1' },
      context: { page: { path: '/virtual', search: '?q=1' } },
    }
    expect(pagePath(event, '/menu')).toBe('/virtual?q=1')
  })

  it('explicit path wins: a path that carries its own query is taken whole', () => {
    const event = {
      properties: { path: '/menu', search: '?a=1' },
      context: { page: { path: '/x?b=2', search: '?a=1' } },
    }
    expect(pagePath(event, '/menu')).toBe('/x?b=2')
  })

  it('ignores absolute URLs and non-string paths', () => {
    expect(
      pagePath({ properties: { path: 'https://evil.example/x' }, context: { page: { path: 42 } } }, '/fallback'),
    ).toBe('/fallback')
  })
})

describe('pageTitle', () => {
  it('takes the title analytics-next recorded for the call, or one given explicitly in context.page', () => {
    expect(pageTitle({ properties: { title: 'Pricing' }, context: { page: { title: 'Pricing' } } })).toBe('Pricing')
    expect(pageTitle({ properties: { title: 'Menu' }, context: { page: { title: 'Fried chicken' } } })).toBe(
      'Fried chicken',
    )
    expect(pageTitle({ properties: {}, context: {} })).toBeNull()
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

  it('numbers and booleans are sent as their text: 0 → "0", false → "false", 12.5 → "12.5"', () => {
    expect(
      identifyCommands({ traits: { email: 'a@example.com', seats: 0, trial: false, score: 12.5 } }, SETTINGS, true)
        .commands,
    ).toEqual([['identify', { email: 'a@example.com', seats: '0', trial: 'false', score: '12.5' }]])
  })

  it('nested traits are flattened into parent_child contact properties', () => {
    expect(
      identifyCommands({ traits: { email: 'a@example.com', plan: { name: 'pro', seats: 3 } } }, SETTINGS, true)
        .commands,
    ).toEqual([['identify', { plan_name: 'pro', plan_seats: '3', email: 'a@example.com' }]])
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
    expect(identifyCommands({ type: 'identify', traits }, SETTINGS, false).commands).toEqual([['identify', ALEX_SENT]])
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
