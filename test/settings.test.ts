// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { foldEventName, parseSettings, type HubSpotSettings, type ResolvedSettings } from '../src/core/device/settings'

/** Settings as a site might really write them, including forms the types refuse. */
const parse = (input: unknown): ResolvedSettings => parseSettings(input as HubSpotSettings)

/** The message of the error `parse(input)` throws (fails the test when it does not throw). */
function errorOf(input: unknown): string {
  try {
    parse(input)
  } catch (error) {
    expect(error).toBeInstanceOf(Error)
    return (error as Error).message
  }
  throw new Error(`parseSettings accepted ${JSON.stringify(input)}`)
}

/** Asserts the error names the setting, shows the bad value and states the expected form. */
function expectRefused(input: unknown, setting: string, shown: string, expected: string | RegExp): void {
  const message = errorOf(input)
  expect(message).toContain(`\`${setting}\``)
  expect(message).toContain(shown)
  if (typeof expected === 'string') expect(message).toContain(expected)
  else expect(message).toMatch(expected)
}

describe('hubId', () => {
  it('accepts a string of digits as is', () => {
    expect(parse({ hubId: '1234567' }).hubId).toBe('1234567')
  })

  it('accepts a number and keeps it as its decimal string', () => {
    expect(parse({ hubId: 997086 }).hubId).toBe('997086')
  })

  it('accepts 1 and 12 digits, the shortest and longest ids', () => {
    expect(parse({ hubId: '1' }).hubId).toBe('1')
    expect(parse({ hubId: '123456789012' }).hubId).toBe('123456789012')
  })

  it('accepts portalId as an alias of hubId, as a string or a number', () => {
    expect(parse({ portalId: '4567' }).hubId).toBe('4567')
    expect(parse({ portalId: 4567 }).hubId).toBe('4567')
  })

  it('accepts hubId and portalId together when they name the same account', () => {
    expect(parse({ hubId: 4567, portalId: '4567' }).hubId).toBe('4567')
  })

  it('refuses hubId and portalId naming different accounts, naming portalId', () => {
    expectRefused({ hubId: '4567', portalId: '999' }, 'portalId', '"999"', 'the same account as hubId')
  })

  it('refuses a missing hubId, saying what an account id looks like', () => {
    expectRefused({}, 'hubId', 'got undefined', '1 to 12 digits')
  })

  it('refuses "123.js?x=<script>" (it would be pasted into the script URL)', () => {
    expectRefused({ hubId: '123.js?x=<script>' }, 'hubId', '"123.js?x=<script>"', '1 to 12 digits')
  })

  it('refuses 13 digits, letters, an empty string and a padded string', () => {
    expectRefused({ hubId: '1234567890123' }, 'hubId', '"1234567890123"', '1 to 12 digits')
    expectRefused({ hubId: 'abc' }, 'hubId', '"abc"', '1 to 12 digits')
    expectRefused({ hubId: '' }, 'hubId', '""', '1 to 12 digits')
    expectRefused({ hubId: ' 123' }, 'hubId', '" 123"', '1 to 12 digits')
  })

  it('refuses negative, fractional, non-finite and too large numbers', () => {
    expectRefused({ hubId: -5 }, 'hubId', 'got -5', '1 to 12 digits')
    expectRefused({ hubId: 1.5 }, 'hubId', 'got 1.5', '1 to 12 digits')
    expectRefused({ hubId: NaN }, 'hubId', 'got NaN', '1 to 12 digits')
    expectRefused({ hubId: 1e13 }, 'hubId', 'got 10000000000000', '1 to 12 digits')
  })

  it('refuses a hubId of another type', () => {
    expectRefused({ hubId: true }, 'hubId', 'got true', '1 to 12 digits')
  })

  it('names portalId (the setting the site wrote) when an invalid portalId stands alone', () => {
    expectRefused({ portalId: 'abc' }, 'portalId', '"abc"', '1 to 12 digits')
  })
})

describe('region and the script URL', () => {
  it('loads https://js.hs-scripts.com/{hubId}.js by default (na1)', () => {
    expect(parse({ hubId: '123' }).scriptUrl).toBe('https://js.hs-scripts.com/123.js')
  })

  it("loads https://js.hs-scripts.com/{hubId}.js for region 'na1'", () => {
    expect(parse({ hubId: 123, region: 'na1' }).scriptUrl).toBe('https://js.hs-scripts.com/123.js')
  })

  it("loads https://js-eu1.hs-scripts.com/{hubId}.js for region 'eu1'", () => {
    expect(parse({ hubId: '123', region: 'eu1' }).scriptUrl).toBe('https://js-eu1.hs-scripts.com/123.js')
  })

  it('refuses any other region, naming the two accepted', () => {
    expectRefused({ hubId: '123', region: 'us' }, 'region', 'got "us"', `'na1' (default) or 'eu1'`)
    expectRefused({ hubId: '123', region: 'EU1' }, 'region', 'got "EU1"', `'na1' (default) or 'eu1'`)
  })
})

describe('scriptUrl', () => {
  const accepted: Array<[string, string]> = [
    ['https://cdn.example.com/hubspot/123.js', 'https://cdn.example.com/hubspot/123.js'],
    ['https://cdn.example.com/hs.js?v=2', 'https://cdn.example.com/hs.js?v=2'],
    ['http://localhost:5173/hs.js', 'http://localhost:5173/hs.js'],
    ['http://127.0.0.1:8080/hs.js', 'http://127.0.0.1:8080/hs.js'],
    ['/vendor/hubspot.js', '/vendor/hubspot.js'],
    ['/vendor/hubspot.js?v=1', '/vendor/hubspot.js?v=1'],
  ]
  for (const [value, url] of accepted) {
    it(`accepts ${value}`, () => {
      expect(parse({ hubId: '123', scriptUrl: value }).scriptUrl).toBe(url)
    })
  }

  it('takes precedence over the region host', () => {
    expect(parse({ hubId: '123', region: 'eu1', scriptUrl: '/hs.js' }).scriptUrl).toBe('/hs.js')
  })

  const refused: Array<[string, string]> = [
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/javascript,alert(1)'],
    ['http: on another host', 'http://cdn.example.com/hs.js'],
    ['http: on a host that only starts with localhost', 'http://localhost.evil.example/hs.js'],
    ['a protocol-relative URL', '//evil.example/hs.js'],
    ['a path with a backslash that browsers read as another host', '/\\evil.example/hs.js'],
    ['a tab inside the scheme', 'java\tscript:alert(1)'],
    ['a tab inside the host', 'https://cdn.exa\tmple.com/hs.js'],
    ['a newline inside the path', '/vendor/\nhs.js'],
    ['a space inside', 'https://cdn.example.com/a b.js'],
    ['leading whitespace', ' https://cdn.example.com/hs.js'],
    ['a user and password', 'https://user:secret@cdn.example.com/hs.js'],
    ['a user alone (http://localhost@evil)', 'http://localhost@evil.example/hs.js'],
    ['ftp:', 'ftp://cdn.example.com/hs.js'],
    ['a relative path without a leading slash', 'vendor/hs.js'],
    ['an empty string', ''],
  ]
  for (const [what, value] of refused) {
    it(`refuses ${what}`, () => {
      expectRefused({ hubId: '123', scriptUrl: value }, 'scriptUrl', JSON.stringify(value), 'an https: URL')
    })
  }

  it('refuses a scriptUrl that is not a string', () => {
    expectRefused({ hubId: '123', scriptUrl: 42 }, 'scriptUrl', 'got 42', 'an https: URL')
  })
})

describe('events', () => {
  it('is empty by default', () => {
    expect(parse({ hubId: '123' }).events).toEqual({})
  })

  it('accepts an internal name string, keyed by the trimmed, case-folded event name', () => {
    expect(parse({ hubId: '123', events: { ' Order Completed ': 'pe123_order_completed' } }).events).toEqual({
      'order completed': { name: 'pe123_order_completed', properties: {} },
    })
  })

  it('accepts { name, properties } with property renames', () => {
    const events = parse({
      hubId: '123',
      events: {
        'Product Viewed': {
          name: 'pe123_product_viewed',
          properties: { productId: 'product_id', sku: 'hs_asset_type' },
        },
      },
    }).events
    expect(events).toEqual({
      'product viewed': { name: 'pe123_product_viewed', properties: { productId: 'product_id', sku: 'hs_asset_type' } },
    })
  })

  it('accepts { name } without properties', () => {
    expect(parse({ hubId: '123', events: { Signup: { name: 'pe123_signup' } } }).events).toEqual({
      signup: { name: 'pe123_signup', properties: {} },
    })
  })

  it('folds event names as trim + lower case', () => {
    expect(foldEventName('  Order COMPLETED\t')).toBe('order completed')
  })

  it('accepts an internal name of exactly 50 characters', () => {
    const name = 'pe123_' + 'x'.repeat(44)
    expect(parse({ hubId: '123', events: { X: name } }).events).toEqual({ x: { name, properties: {} } })
  })

  it('refuses an internal name over 50 characters', () => {
    const name = 'pe123_' + 'x'.repeat(45)
    expectRefused(
      { hubId: '123', events: { X: name } },
      'events["X"].name',
      JSON.stringify(name),
      'at most 50 characters',
    )
  })

  it("refuses another account's internal name", () => {
    expectRefused(
      { hubId: '123', events: { 'Order Completed': 'pe999_order_completed' } },
      'events["Order Completed"].name',
      '"pe999_order_completed"',
      'pe123_',
    )
  })

  it('refuses an internal name whose hub id only starts like this account', () => {
    expectRefused({ hubId: '12', events: { X: 'pe123_x' } }, 'events["X"].name', '"pe123_x"', 'pe12_')
  })

  it('refuses a display name, upper case, dashes and an empty suffix as internal names', () => {
    for (const name of [
      'Order Completed',
      'order_completed',
      'pe123_Order_Completed',
      'pe123_order-completed',
      'pe123_',
    ]) {
      expectRefused(
        { hubId: '123', events: { X: name } },
        'events["X"].name',
        JSON.stringify(name),
        'pe123_ then a-z, 0-9 or _',
      )
    }
  })

  it('refuses a mapping with no name', () => {
    expectRefused(
      { hubId: '123', events: { X: { properties: { a: 'b' } } } },
      'events["X"]',
      '{"properties":{"a":"b"}}',
      'an internal name string, or { name, properties }',
    )
  })

  it('refuses a property rename to something that is not a HubSpot internal name', () => {
    expectRefused(
      { hubId: '123', events: { X: { name: 'pe123_x', properties: { orderId: 'Order Number' } } } },
      'events["X"].properties["orderId"]',
      '"Order Number"',
      'a HubSpot property internal name',
    )
  })

  it('refuses properties that are not an object', () => {
    expectRefused(
      { hubId: '123', events: { X: { name: 'pe123_x', properties: ['a'] } } },
      'events["X"].properties',
      '["a"]',
      'analyticsProperty',
    )
  })

  it('refuses two event names that fold to the same one', () => {
    expectRefused(
      { hubId: '123', events: { 'Order Completed': 'pe123_a', ' order completed': 'pe123_b' } },
      'events[" order completed"]',
      '" order completed"',
      'differ after trimming and case-folding',
    )
  })

  it('refuses an empty event name', () => {
    expectRefused({ hubId: '123', events: { '  ': 'pe123_a' } }, 'events', '"  "', 'non-empty analytics event names')
  })

  it('refuses events that are not an object', () => {
    expectRefused({ hubId: '123', events: 'pe123_a' }, 'events', '"pe123_a"', 'an object')
    expectRefused({ hubId: '123', events: ['pe123_a'] }, 'events', '["pe123_a"]', 'an object')
  })
})

describe('unmappedEvents', () => {
  it("is 'custom' by default", () => {
    expect(parse({ hubId: '123' }).unmappedEvents).toBe('custom')
  })

  it("accepts 'custom', 'legacy' and 'ignore'", () => {
    expect(parse({ hubId: '123', unmappedEvents: 'custom' }).unmappedEvents).toBe('custom')
    expect(parse({ hubId: '123', unmappedEvents: 'legacy' }).unmappedEvents).toBe('legacy')
    expect(parse({ hubId: '123', unmappedEvents: 'ignore' }).unmappedEvents).toBe('ignore')
  })

  it('refuses anything else', () => {
    expectRefused(
      { hubId: '123', unmappedEvents: 'drop' },
      'unmappedEvents',
      'got "drop"',
      `'custom' (default), 'legacy' or 'ignore'`,
    )
  })
})

describe('boolean settings', () => {
  it('default to false', () => {
    const settings = parse({ hubId: '123' })
    expect([settings.flushIdentify, settings.debug, settings.formsSdkUrl]).toEqual([false, false, null])
  })

  it('accept true', () => {
    const settings = parse({ hubId: '123', flushIdentify: true, debug: true })
    expect([settings.flushIdentify, settings.debug]).toEqual([true, true])
  })

  for (const key of ['flushIdentify', 'debug', 'loadFormsSdk']) {
    it(`refuse a ${key} that is not a boolean`, () => {
      expectRefused({ hubId: '123', [key]: 'true' }, key, '"true"', 'true or false (default false)')
      expectRefused({ hubId: '123', [key]: 1 }, key, 'got 1', 'true or false (default false)')
    })
  }
})

describe('loadFormsSdk', () => {
  it('loads https://js.hsforms.net/forms/v2.js for na1', () => {
    expect(parse({ hubId: '123', loadFormsSdk: true }).formsSdkUrl).toBe('https://js.hsforms.net/forms/v2.js')
  })

  it('loads https://js-eu1.hsforms.net/forms/v2.js for eu1', () => {
    expect(parse({ hubId: '123', region: 'eu1', loadFormsSdk: true }).formsSdkUrl).toBe(
      'https://js-eu1.hsforms.net/forms/v2.js',
    )
  })

  it('loads nothing when false', () => {
    expect(parse({ hubId: '123', loadFormsSdk: false }).formsSdkUrl).toBeNull()
  })
})

describe('scriptNonce', () => {
  it('is null by default', () => {
    expect(parse({ hubId: '123' }).scriptNonce).toBeNull()
  })

  it('accepts a base64 nonce', () => {
    expect(parse({ hubId: '123', scriptNonce: 'rAnd0m+/x_-=' }).scriptNonce).toBe('rAnd0m+/x_-=')
  })

  it('refuses markup, an empty string and a number', () => {
    expectRefused({ hubId: '123', scriptNonce: '"><script>' }, 'scriptNonce', JSON.stringify('"><script>'), 'nonce')
    expectRefused({ hubId: '123', scriptNonce: '' }, 'scriptNonce', '""', 'nonce')
    expectRefused({ hubId: '123', scriptNonce: 42 }, 'scriptNonce', 'got 42', 'nonce')
  })
})

describe('unknown settings', () => {
  it('refuses a setting it does not know, listing the known ones', () => {
    expectRefused(
      { hubId: '123', flushIdentity: true },
      'flushIdentity',
      'got true',
      'no such setting (known: hubId, portalId',
    )
  })

  it('refuses settings that are not an object', () => {
    expectRefused(null, 'settings', 'got null', 'an object')
    expectRefused('123', 'settings', '"123"', 'an object')
    expectRefused([{ hubId: '123' }], 'settings', '[{"hubId":"123"}]', 'an object')
  })
})

describe('secrets in browser settings', () => {
  const TOKEN = 'pat-na1-0a1b2c3d-4e5f-6789-abcd-ef0123456789'
  const API_KEY = 'dfdbfe6f-e7bf-4938-8e82-7d1938e48ab8'

  function expectSecretRefused(input: unknown, setting: string, secret: string): void {
    const message = errorOf(input)
    expect(message).toContain(`\`${setting}\``)
    expect(message).toMatch(/every visitor can read/)
    expect(message).toMatch(/server side/)
    // Never echo the secret itself into logs.
    expect(message).not.toContain(secret)
  }

  for (const key of ['apiKey', 'accessToken', 'privateAppToken', 'hapikey']) {
    it(`refuses ${key}, saying every visitor can read it and to use it server side`, () => {
      expectSecretRefused({ hubId: '123', [key]: API_KEY }, key, API_KEY)
    })
  }

  for (const key of ['hapiKey', 'api_key', 'access-token', 'ACCESS_TOKEN', 'clientSecret']) {
    it(`refuses ${key} too: secret names are matched without case, _ or -`, () => {
      expectSecretRefused({ hubId: '123', [key]: API_KEY }, key, API_KEY)
    })
  }

  it('shows only the start of a string in an unknown setting, which may hold something private', () => {
    const message = errorOf({ hubId: '123', hubspotKey: API_KEY })
    expect(message).toContain('"dfdb…"')
    expect(message).not.toContain(API_KEY)
  })

  it('shows only the first characters of the refused secret', () => {
    expect(errorOf({ hubId: '123', apiKey: API_KEY })).toContain('"dfdb…"')
  })

  it('refuses a secret setting even when it is not a string', () => {
    expectSecretRefused({ hubId: '123', accessToken: 12345678 }, 'accessToken', '12345678')
  })

  it('refuses a pat-na1- private app token in any setting', () => {
    expectSecretRefused({ hubId: '123', scriptNonce: TOKEN }, 'scriptNonce', TOKEN)
  })

  it('refuses a pat-eu1- token given as the hubId', () => {
    const token = 'pat-eu1-0a1b2c3d-4e5f'
    expectSecretRefused({ hubId: token }, 'hubId', token)
  })

  it('refuses a private app token nested deep in events', () => {
    expectSecretRefused(
      { hubId: '123', events: { 'Signed Up': { name: 'pe123_signed_up', properties: { token: ` ${TOKEN}` } } } },
      'events.Signed Up.properties.token',
      TOKEN,
    )
  })
})

describe('the resolved settings', () => {
  it('have every default', () => {
    expect(parse({ hubId: '123' })).toEqual({
      hubId: '123',
      scriptUrl: 'https://js.hs-scripts.com/123.js',
      formsSdkUrl: null,
      events: {},
      unmappedEvents: 'custom',
      flushIdentify: false,
      debug: false,
      scriptNonce: null,
      consentCategories: ['analytics'],
    })
  })

  it('are frozen, events and their properties included', () => {
    const settings = parse({ hubId: '123', events: { X: { name: 'pe123_x', properties: { a: 'b' } } } })
    expect(Object.isFrozen(settings)).toBe(true)
    expect(Object.isFrozen(settings.events)).toBe(true)
    expect(Object.isFrozen(settings.events.x)).toBe(true)
    expect(Object.isFrozen(settings.events.x.properties)).toBe(true)
    expect(() => {
      ;(settings as { debug: boolean }).debug = true
    }).toThrow(TypeError)
  })

  it('are frozen down to events when no events are given', () => {
    const settings = parse({ hubId: '123' })
    expect([Object.isFrozen(settings), Object.isFrozen(settings.events)]).toEqual([true, true])
  })

  it('do not inherit event mappings from Object.prototype', () => {
    const events = parse({ hubId: '123' }).events
    expect([events['constructor'], events['tostring'], events['__proto__']]).toEqual([undefined, undefined, undefined])
  })

  it('leave the input untouched', () => {
    const input = Object.freeze({ hubId: 123, events: Object.freeze({ X: 'pe123_x' }) })
    parse(input)
    expect(input).toEqual({ hubId: 123, events: { X: 'pe123_x' } })
  })
})

describe('adversarial hubId, region and scriptUrl', () => {
  for (const hubId of [
    '１２３',
    '123\u200b',
    ' 123',
    '123 ',
    '0x1F',
    '1e3',
    '-1',
    '12.5',
    '1234567890123',
    '',
    '١٢٣',
    '123/../evil',
  ]) {
    it(`refuses the hubId ${JSON.stringify(hubId)}`, () => {
      expectRefused({ hubId }, 'hubId', JSON.stringify(hubId), '1 to 12 digits')
    })
  }

  for (const hubId of [-1, 1.5, Number.NaN, Infinity, 1e13]) {
    it(`refuses the number hubId ${hubId}`, () => {
      expectRefused({ hubId }, 'hubId', String(hubId), '1 to 12 digits')
    })
  }

  for (const region of ['eu1 ', 'еu1' /* Cyrillic е */, 'eu1\u200b', 'EU1', 'na2', '']) {
    it(`refuses the region ${JSON.stringify(region)}`, () => {
      expectRefused(
        { hubId: '123', region: region as 'eu1' },
        'region',
        JSON.stringify(region),
        `'na1' (default) or 'eu1'`,
      )
    })
  }

  const refused: Array<[string, string]> = [
    ['an encoded scheme separator', 'https:%2F%2Fevil.example/x.js'],
    ['a HubSpot host that is really a user name', 'https://js.hs-scripts.com%2F@evil.example/1.js'],
    ['a fullwidth solidus path that is no path', '／／evil.example/x.js'],
    ['a zero-width space', 'https://js.hs-scripts.com\u200b/1.js'],
    ['a trailing newline', 'https://js.hs-scripts.com/1.js\n'],
    ['protocol-relative to evil.example', '//evil.example'],
  ]
  for (const [what, value] of refused) {
    it(`refuses a scriptUrl with ${what}`, () => {
      expectRefused({ hubId: '123', scriptUrl: value }, 'scriptUrl', '', 'an https: URL')
    })
  }

  it('normalizes what it accepts, so that the URL loaded is the one a reader sees', () => {
    expect(parse({ hubId: '123', scriptUrl: 'https://%65vil.example/x.js' }).scriptUrl).toBe(
      'https://evil.example/x.js',
    )
    expect(parse({ hubId: '123', scriptUrl: 'https://ｊs.hs-scripts.com/1.js' }).scriptUrl).toBe(
      'https://js.hs-scripts.com/1.js',
    )
  })

  it('accepts a look-alike https host as scriptUrl (it is the site owner’s choice), which the loader never takes for HubSpot’s own', () => {
    expect(parse({ hubId: '123', scriptUrl: 'https://js.hs-scripts.com.evil.example/1.js' }).scriptUrl).toBe(
      'https://js.hs-scripts.com.evil.example/1.js',
    )
  })
})
