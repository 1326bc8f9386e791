// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { customEventName, eventProperties } from '../src/core/event-properties'
import { trackCommands } from '../src/core/device/track'
import { parseSettings, type HubSpotSettings } from '../src/core/device/settings'
import type { AnalyticsEvent } from '../src/core/types'
import { ORDER_TRAITS } from './seeds'

const settings = (extra: Omit<HubSpotSettings, 'hubId'> = {}) => parseSettings({ hubId: '123', ...extra })
const CUSTOM = settings()

/** Freezes an object graph so that any mutation by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key])
  }
  return value
}

/** The custom behavioral event command for `pe123_{name}`. */
const custom = (name: string, properties: Record<string, string>) =>
  ['trackCustomBehavioralEvent', { name: `pe123_${name}`, properties }] as const

describe('derived custom behavioral event names', () => {
  it('derives pe{hubId}_{normalized event}: "Order Completed" → pe123_order_completed', () => {
    expect(trackCommands({ event: 'Order Completed', properties: {} }, CUSTOM)).toEqual({
      commands: [custom('order_completed', {})],
      notes: [],
    })
  })

  it('normalizes the name like a trait key and strips underscores at its ends', () => {
    expect([
      customEventName('123', 'Signed Up!'),
      customEventName('123', '--Checkout -- Step 2--'),
      customEventName('123', 'Video.Played'),
    ]).toEqual(['pe123_signed_up', 'pe123_checkout_step_2', 'pe123_video_played'])
  })

  it('derives the name from the trimmed event name', () => {
    expect(trackCommands({ event: '  Order Completed \n' }, CUSTOM).commands).toEqual([custom('order_completed', {})])
  })

  it('keeps the whole internal name within 50 characters', () => {
    expect(customEventName('123', 'a'.repeat(100))).toBe('pe123_' + 'a'.repeat(44))
    expect(customEventName('123456789012', 'Order Completed With A Very Long Name For Testing Limits')).toBe(
      'pe123456789012_order_completed_with_a_very_long_na',
    )
  })

  it('does not end the name with an underscore where the 50-character cut lands on one', () => {
    expect(customEventName('123', 'a'.repeat(43) + ' b')).toBe('pe123_' + 'a'.repeat(43))
  })

  it('has no name for events without letters or digits', () => {
    expect([customEventName('123', '!!!'), customEventName('123', '___'), customEventName('123', '日本語')]).toEqual([
      null,
      null,
      null,
    ])
  })

  it('sends nothing for an event name without letters or digits, and says why', () => {
    const { commands, notes } = trackCommands({ event: '!!!', properties: { value: 1 } }, CUSTOM)
    expect(commands).toEqual([])
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/"!!!".*no letters or digits/)
  })
})

describe('pe{hubId}_ names pass through unchanged', () => {
  it("a name already in this account's form is kept as it is (RudderStack and Segment Actions name events so)", () => {
    expect(trackCommands({ event: 'pe123_order_completed' }, CUSTOM).commands).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_order_completed', properties: {} }],
    ])
    expect(customEventName('62515', 'pe62515_order_completed')).toBe('pe62515_order_completed')
    expect(customEventName('123', 'pe123_' + 'a'.repeat(44))).toBe('pe123_' + 'a'.repeat(44))
  })

  it("a name with this account's prefix in another case or with spaces gets the prefix once", () => {
    expect(customEventName('123', 'PE123_Order Completed')).toBe('pe123_order_completed')
  })

  it('a name over 50 characters with the prefix is cut, not prefixed again', () => {
    expect(customEventName('123', 'pe123_' + 'a'.repeat(60))).toBe('pe123_' + 'a'.repeat(44))
  })

  it("another account's prefix is only a name", () => {
    expect(customEventName('123', 'pe999_order_completed')).toBe('pe123_pe999_order_completed')
  })
})

describe('numbers and booleans are sent as their text', () => {
  it('in a custom behavioral event: 0, false and 12.5 become "0", "false" and "12.5"', () => {
    expect(
      trackCommands({ event: 'Bought', properties: { quantity: 0, gift: false, price: 12.5, vip: true } }, CUSTOM)
        .commands,
    ).toEqual([custom('bought', { quantity: '0', gift: 'false', price: '12.5', vip: 'true' })])
  })

  it('in a legacy event: a value of 0 is "0"', () => {
    expect(
      trackCommands({ event: 'Refund', properties: { revenue: 0 } }, settings({ unmappedEvents: 'legacy' })).commands,
    ).toEqual([['trackEvent', { id: 'Refund', value: '0' }]])
  })

  it('in the identify of context.traits', () => {
    expect(
      trackCommands({ event: 'X', context: { traits: { email: 'a@example.com', seats: 0, trial: false } } }, CUSTOM)
        .commands[0],
    ).toEqual(['identify', { email: 'a@example.com', seats: '0', trial: 'false' }])
  })
})

describe('nested objects are flattened, not dropped', () => {
  it('event properties holding objects become parent_child keys: { sides: { item1: "rice" } } → sides_item1', () => {
    expect(
      trackCommands({ event: 'Ordered', properties: { sides: { item1: 'rice', 'Item 2': 'beans' }, total: 9 } }, CUSTOM)
        .commands,
    ).toEqual([custom('ordered', { sides_item1: 'rice', sides_item_2: 'beans', total: '9' })])
  })

  it('arrays of primitives are still ;-joined, arrays of objects and cycles are dropped with a note', () => {
    const order: Record<string, unknown> = { id: 'A1', tags: ['x', 'y'], items: [{ sku: 1 }] }
    order.self = order
    const { commands, notes } = trackCommands({ event: 'Ordered', properties: { order } }, CUSTOM)
    expect(commands).toEqual([custom('ordered', { order_id: 'A1', order_tags: 'x;y' })])
    expect(notes).toEqual([
      'order_items: an array of objects has no HubSpot form: dropped',
      'order_self: refers to an object it is inside of (a cycle): dropped',
    ])
  })

  it('is depth-limited: objects nested deeper than three levels are dropped with a note', () => {
    const { commands, notes } = trackCommands(
      { event: 'Deep', properties: { a: { b: { c: { d: 1, e: { f: 2 } } } } } },
      CUSTOM,
    )
    expect(commands).toEqual([custom('deep', { a_b_c_d: '1' })])
    expect(notes).toEqual(['a_b_c_e: nested deeper than 3 levels: dropped'])
  })

  it('address keeps its special mapping (hs_city, hs_country and the address parts)', () => {
    expect(
      trackCommands({ event: 'Moved', properties: { address: { city: 'Paris', country: 'FR' } } }, CUSTOM).commands,
    ).toEqual([custom('moved', { hs_city: 'Paris', hs_country: 'FR', city: 'Paris', country: 'FR' })])
  })

  it("HubSpot's limits still hold after flattening: 50 properties, property names, value lengths", () => {
    const wide: Record<string, string> = {}
    for (let i = 0; i < 80; i++) wide[`k${i}`] = 'v'
    const { commands, notes } = trackCommands(
      { event: 'Wide', properties: { group: wide, meta: { 'Long Text': 'x'.repeat(300), '9lives': 'ok' } } },
      CUSTOM,
    )
    const properties = (commands[0] as [string, { properties: Record<string, string> }])[1].properties
    expect(Object.keys(properties)).toHaveLength(50)
    expect(Object.keys(properties).every((k) => /^[a-z][a-z0-9_]*$/.test(k))).toBe(true)
    expect(properties.group_k0).toBe('v')
    expect(notes.some((n) => n.startsWith("dropped properties over HubSpot's limit of 50"))).toBe(true)
    const { commands: deep } = trackCommands(
      { event: 'Long', properties: { meta: { 'Long Text': 'x'.repeat(300) } } },
      CUSTOM,
    )
    expect(deep).toEqual([custom('long', { meta_long_text: 'x'.repeat(256) })])
  })

  it('nested context.traits become parent_child contact properties on the identify', () => {
    expect(
      trackCommands(
        { event: 'X', context: { traits: { email: 'a@example.com', plan: { name: 'pro', seats: 3 } } } },
        CUSTOM,
      ).commands[0],
    ).toEqual(['identify', { email: 'a@example.com', plan_name: 'pro', plan_seats: '3' }])
  })
})

describe('event names without letters or digits', () => {
  it('send nothing, not even the identify of context.traits', () => {
    expect(
      trackCommands({ event: '!!!', context: { traits: { email: 'alex@example.com' } } }, CUSTOM).commands,
    ).toEqual([])
  })
})

describe('mapped events (settings.events)', () => {
  const MAPPED = settings({
    events: { 'Order Completed': { name: 'pe123_purchase', properties: { orderId: 'order_number', total: 'amount' } } },
  })

  it('uses the mapped internal name, matched after trim and case-folding', () => {
    expect(trackCommands({ event: '  ORDER completed ' }, MAPPED).commands).toEqual([
      ['trackCustomBehavioralEvent', { name: 'pe123_purchase', properties: {} }],
    ])
  })

  it('renames mapped properties and lets the rename win over a property that normalizes to the same name', () => {
    expect(
      trackCommands(
        { event: 'Order Completed', properties: { orderId: 'A1', order_number: 'B2', total: 30, Currency: 'USD' } },
        MAPPED,
      ).commands,
    ).toEqual([
      [
        'trackCustomBehavioralEvent',
        { name: 'pe123_purchase', properties: { order_number: 'A1', amount: '30', currency: 'USD' } },
      ],
    ])
  })

  it('accepts the string form of a mapping', () => {
    expect(
      trackCommands({ event: 'Signed Up' }, settings({ events: { 'signed up': 'pe123_signup' } })).commands,
    ).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_signup', properties: {} }]])
  })

  it("sends mapped events even when unmappedEvents is 'ignore' or 'legacy'", () => {
    for (const unmappedEvents of ['ignore', 'legacy'] as const) {
      const s = settings({ unmappedEvents, events: { 'Signed Up': 'pe123_signup' } })
      expect(trackCommands({ event: 'Signed Up', properties: { plan: 'pro' } }, s).commands).toEqual([
        ['trackCustomBehavioralEvent', { name: 'pe123_signup', properties: { plan: 'pro' } }],
      ])
    }
  })

  it('leaves other events to unmappedEvents', () => {
    expect(trackCommands({ event: 'Order Refunded' }, MAPPED).commands).toEqual([custom('order_refunded', {})])
  })
})

describe("the seed's hs_* custom behavioral event properties", () => {
  const track = (event: AnalyticsEvent) => trackCommands({ event: 'Asset Viewed', ...event }, CUSTOM).commands

  it('maps properties.assetDescription and properties.hsAssetDescription to hs_asset_description', () => {
    expect(track({ properties: { assetDescription: 'Spring guide' } })).toEqual([
      custom('asset_viewed', { hs_asset_description: 'Spring guide' }),
    ])
    expect(track({ properties: { hsAssetDescription: 'Spring guide' } })).toEqual([
      custom('asset_viewed', { hs_asset_description: 'Spring guide' }),
    ])
  })

  it('maps properties.assetType and properties.hsAssetType to hs_asset_type', () => {
    expect(track({ properties: { assetType: 'ebook' } })).toEqual([custom('asset_viewed', { hs_asset_type: 'ebook' })])
    expect(track({ properties: { hsAssetType: 'ebook' } })).toEqual([
      custom('asset_viewed', { hs_asset_type: 'ebook' }),
    ])
  })

  it('maps properties.campaignId to hs_campaign_id', () => {
    expect(track({ properties: { campaignId: 'spring-2024' } })).toEqual([
      custom('asset_viewed', { hs_campaign_id: 'spring-2024' }),
    ])
  })

  it('maps properties.address.city and .country to hs_city and hs_country (the address is also spread like a trait)', () => {
    expect(track({ properties: { address: { city: 'New Orleans', country: 'USA' } } })).toEqual([
      custom('asset_viewed', { hs_city: 'New Orleans', hs_country: 'USA', city: 'New Orleans', country: 'USA' }),
    ])
  })

  it('maps traits.address.city and .country to hs_city and hs_country', () => {
    expect(track({ traits: { address: { city: 'New Orleans', country: 'USA' } } })).toEqual([
      custom('asset_viewed', { hs_city: 'New Orleans', hs_country: 'USA' }),
    ])
  })

  it('maps context.traits.address.city and .country to hs_city and hs_country', () => {
    expect(track({ context: { traits: { address: { city: 'New Orleans', country: 'USA' } } } })).toEqual([
      custom('asset_viewed', { hs_city: 'New Orleans', hs_country: 'USA' }),
    ])
  })

  it('maps context.device.name to hs_device_name', () => {
    expect(track({ context: { device: { name: 'iPhone' } } })).toEqual([
      custom('asset_viewed', { hs_device_name: 'iPhone' }),
    ])
  })

  it('maps properties.elementClass and properties.hsElementClass to hs_element_class', () => {
    expect(track({ properties: { elementClass: 'btn primary' } })).toEqual([
      custom('asset_viewed', { hs_element_class: 'btn primary' }),
    ])
    expect(track({ properties: { hsElementClass: 'btn' } })).toEqual([
      custom('asset_viewed', { hs_element_class: 'btn' }),
    ])
  })

  it('maps properties.elementId and properties.hsElementId to hs_element_id', () => {
    expect(track({ properties: { elementId: 'cta' } })).toEqual([custom('asset_viewed', { hs_element_id: 'cta' })])
    expect(track({ properties: { hsElementId: 'cta' } })).toEqual([custom('asset_viewed', { hs_element_id: 'cta' })])
  })

  it('normalizes the other properties like traits', () => {
    expect(
      track({
        properties: {
          'Asset Name': ' Guide\u200B',
          pages: 12,
          tags: ['a', 'b'],
          when: '2019-10-14T11:15:53.296Z',
          nested: { a: 1 },
          nothing: null,
          _private: 'x',
        },
      }),
    ).toEqual([
      custom('asset_viewed', {
        asset_name: 'Guide',
        pages: '12',
        tags: 'a;b',
        when: '1571051753296',
        nested_a: '1',
      }),
    ])
  })
})

describe('the 50-property limit', () => {
  const props: Record<string, number | string> = {}
  for (let i = 0; i < 60; i++) props[`p${i}`] = i
  props.elementId = 'cta'
  const s = settings({ events: { Big: { name: 'pe123_big', properties: { p59: 'last_one' } } } })

  it('keeps the mapped and hs_* properties first, then the rest up to 50', () => {
    const kept: Record<string, string> = { last_one: '59', hs_element_id: 'cta' }
    for (let i = 0; i < 48; i++) kept[`p${i}`] = String(i)
    const { commands } = trackCommands({ event: 'Big', properties: props }, s)
    expect(commands).toEqual([['trackCustomBehavioralEvent', { name: 'pe123_big', properties: kept }]])
  })

  it('adds a note naming each dropped property and no kept one', () => {
    const { notes } = trackCommands({ event: 'Big', properties: props }, s)
    expect(notes).toHaveLength(1)
    for (let i = 48; i < 59; i++) expect(notes[0]).toMatch(new RegExp(`\\bp${i}\\b`))
    for (const kept of ['p0', 'p47', 'last_one', 'hs_element_id'])
      expect(notes[0]).not.toMatch(new RegExp(`\\b${kept}\\b`))
  })

  it('keeps exactly 50 properties without a note', () => {
    const fifty: Record<string, number> = {}
    for (let i = 0; i < 50; i++) fifty[`p${i}`] = i
    const notes: string[] = []
    expect(eventProperties({ properties: fifty }, {}, notes)).toEqual(fifty)
    expect(notes).toEqual([])
  })
})

describe('property value limits', () => {
  it('cuts string values at 256 characters, and at 1,024 for url- and referrer-like properties', () => {
    const long = 'x'.repeat(2000)
    expect(
      trackCommands(
        {
          event: 'Clicked',
          properties: {
            description: long,
            page_url: long,
            referrer: long,
            href: long,
            path: long,
            short: 'ok',
            n: 12345,
          },
        },
        CUSTOM,
      ).commands,
    ).toEqual([
      custom('clicked', {
        description: 'x'.repeat(256),
        page_url: 'x'.repeat(1024),
        referrer: 'x'.repeat(1024),
        href: 'x'.repeat(1024),
        path: 'x'.repeat(1024),
        short: 'ok',
        n: '12345',
      }),
    ])
  })

  it('gives the 1,024 limit to url-like words only, not to keys that merely contain them (pathology, linkedin)', () => {
    const long = 'x'.repeat(2000)
    expect(
      trackCommands({ event: 'Clicked', properties: { pathology: long, linkedin: long } }, CUSTOM).commands,
    ).toEqual([custom('clicked', { pathology: 'x'.repeat(256), linkedin: 'x'.repeat(256) })])
  })

  it('cuts mapped and hs_* values at 256 characters too', () => {
    const long = 'y'.repeat(300)
    const s = settings({ events: { Clicked: { name: 'pe123_clicked', properties: { note: 'order_note' } } } })
    expect(trackCommands({ event: 'Clicked', properties: { note: long, assetDescription: long } }, s).commands).toEqual(
      [custom('clicked', { order_note: 'y'.repeat(256), hs_asset_description: 'y'.repeat(256) })],
    )
  })
})

describe('contact properties on track (context.traits)', () => {
  it('pushes an identify with the normalized context.traits and their email before the event', () => {
    expect(
      trackCommands(
        {
          event: 'Bought Item',
          context: {
            traits: { firstName: ' Peter ', last_name: 'Gibbons', email: ' peter@initech.com ', prefs: { a: 1 } },
          },
        },
        CUSTOM,
      ),
    ).toEqual({
      commands: [
        ['identify', { firstname: 'Peter', lastname: 'Gibbons', email: 'peter@initech.com', prefs_a: '1' }],
        custom('bought_item', {}),
      ],
      notes: [],
    })
  })

  it("uses properties.email when context.traits has none (the Segment seed's Bought Item example)", () => {
    expect(
      trackCommands(
        {
          event: 'Bought Item',
          properties: { email: 'peter@initech.com' },
          context: { traits: { firstname: 'Peter', lastname: 'Gibbons' } },
        },
        CUSTOM,
      ).commands,
    ).toEqual([
      ['identify', { firstname: 'Peter', lastname: 'Gibbons', email: 'peter@initech.com' }],
      custom('bought_item', { email: 'peter@initech.com' }),
    ])
  })

  it('pushes an identify of the email alone when only properties.email is known', () => {
    expect(
      trackCommands({ event: 'Bought Item', properties: { email: 'peter@initech.com' } }, CUSTOM).commands,
    ).toEqual([['identify', { email: 'peter@initech.com' }], custom('bought_item', { email: 'peter@initech.com' })])
  })

  it('prefers the email of context.traits over properties.email', () => {
    expect(
      trackCommands(
        { event: 'X', properties: { email: 'b@example.com' }, context: { traits: { email: 'a@example.com' } } },
        CUSTOM,
      ).commands,
    ).toEqual([['identify', { email: 'a@example.com' }], custom('x', { email: 'b@example.com' })])
  })

  it('pushes no identify when context.traits has no valid email', () => {
    expect(
      trackCommands({ event: 'X', context: { traits: { firstname: 'Peter', email: 'peter' } } }, CUSTOM).commands,
    ).toEqual([custom('x', {})])
  })

  it('sends the seed Order Completed example as an identify then pe123_order_completed with value 30', () => {
    const event: AnalyticsEvent = {
      type: 'track',
      event: 'Order Completed',
      properties: { value: 30 },
      context: { traits: ORDER_TRAITS },
    }
    expect(trackCommands(event, CUSTOM)).toEqual({
      commands: [
        ['identify', ORDER_TRAITS],
        ['trackCustomBehavioralEvent', { name: 'pe123_order_completed', properties: { value: '30' } }],
      ],
      notes: [],
    })
  })

  it('leaves the hubspotutk token out of the contact properties (it is a cookie, not a property)', () => {
    const { commands } = trackCommands(
      { event: 'Viewed', context: { traits: { email: 'a@example.com', utk: '0123456789abcdef0123456789abcdef' } } },
      CUSTOM,
    )
    expect(commands).toEqual([
      ['identify', { email: 'a@example.com' }],
      ['trackCustomBehavioralEvent', { name: 'pe123_viewed', properties: {} }],
    ])
  })

  it('never mutates the event', () => {
    const event = deepFreeze({
      event: 'Order Completed',
      properties: { value: 30, address: { city: 'New Orleans' }, elementId: 'cta', tags: ['a'] },
      context: {
        traits: { firstName: 'Alex', email: 'alex@example.com', address: { country: 'USA' } },
        device: { name: 'Pixel' },
      },
    })
    const before = structuredClone(event)
    expect(trackCommands(event, CUSTOM).commands).toEqual([
      ['identify', { firstname: 'Alex', email: 'alex@example.com', country: 'USA' }],
      custom('order_completed', {
        hs_element_id: 'cta',
        hs_city: 'New Orleans',
        hs_country: 'USA',
        hs_device_name: 'Pixel',
        value: '30',
        city: 'New Orleans',
        tags: 'a',
      }),
    ])
    expect(event).toEqual(before)
  })
})

describe('unmappedEvents', () => {
  const LEGACY = settings({ unmappedEvents: 'legacy' })
  const IGNORE = settings({ unmappedEvents: 'ignore' })

  it("'legacy' pushes trackEvent with the event as id and revenue as value", () => {
    expect(trackCommands({ event: 'Order Completed', properties: { revenue: 20, value: 30 } }, LEGACY)).toEqual({
      commands: [['trackEvent', { id: 'Order Completed', value: '20' }]],
      notes: [],
    })
  })

  it("'legacy' falls back to value when there is no revenue", () => {
    expect(trackCommands({ event: 'Order Completed', properties: { value: 30 } }, LEGACY).commands).toEqual([
      ['trackEvent', { id: 'Order Completed', value: '30' }],
    ])
    expect(
      trackCommands({ event: 'Order Completed', properties: { revenue: null, value: 30 } }, LEGACY).commands,
    ).toEqual([['trackEvent', { id: 'Order Completed', value: '30' }]])
  })

  it("'legacy' sends no value when neither revenue nor value is a number", () => {
    expect(trackCommands({ event: 'Signed Up', properties: { plan: 'pro' } }, LEGACY).commands).toEqual([
      ['trackEvent', { id: 'Signed Up' }],
    ])
  })

  it("'legacy' still pushes the identify of context.traits first", () => {
    expect(
      trackCommands({ event: 'Signed Up', context: { traits: { email: 'alex@example.com' } } }, LEGACY).commands,
    ).toEqual([
      ['identify', { email: 'alex@example.com' }],
      ['trackEvent', { id: 'Signed Up' }],
    ])
  })

  it("'ignore' sends nothing for an unmapped event, and says why", () => {
    const { commands, notes } = trackCommands({ event: 'Order Completed', properties: { value: 30 } }, IGNORE)
    expect(commands).toEqual([])
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatch(/"Order Completed".*'ignore'/)
  })

  it("'ignore' sends nothing, not even the identify of context.traits, for an unmapped event", () => {
    expect(
      trackCommands({ event: 'Order Completed', context: { traits: { email: 'alex@example.com' } } }, IGNORE).commands,
    ).toEqual([])
  })
})

describe('track without an event name', () => {
  for (const [what, event] of [
    ['a missing', undefined],
    ['a blank', ' \t '],
    ['a non-string', 42],
  ] as const) {
    it(`sends nothing for ${what} event name, and says why`, () => {
      const { commands, notes } = trackCommands(
        { event, properties: { value: 1 }, context: { traits: { email: 'alex@example.com' } } },
        CUSTOM,
      )
      expect(commands).toEqual([])
      expect(notes).toHaveLength(1)
      expect(notes[0]).toMatch(/without an event name/)
    })
  }
})
