// @vitest-environment node
import { describe, expect, it } from 'vitest'
import {
  CONTACT_VALUE_LIMIT,
  MAX_FLATTENED,
  normalizeKey,
  normalizeTraits,
  normalizeValue,
  toEmail,
  trim,
} from '../src/core/traits'
import { ALEX, ALEX_IN_HUBSPOT } from './seeds'

/** Freezes an object graph so that any mutation by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key])
  }
  return value
}

describe('the seed identify (Alex)', () => {
  it('renames firstName, keeps the number date and turns the Date into epoch ms', () => {
    expect(normalizeTraits(ALEX)).toEqual(ALEX_IN_HUBSPOT)
  })

  it('turns custom_date1 persisted as the ISO string 2019-10-14T11:15:53.296Z into 1571051753296', () => {
    const persisted = JSON.parse(JSON.stringify(ALEX)) as Record<string, unknown>
    expect(persisted.custom_date1).toBe('2019-10-14T11:15:53.296Z')
    expect(normalizeTraits(persisted)).toEqual(ALEX_IN_HUBSPOT)
  })
})

describe('normalizeKey', () => {
  it('renames firstName and first_name to firstname', () => {
    expect([normalizeKey('firstName'), normalizeKey('first_name')]).toEqual(['firstname', 'firstname'])
  })

  it('renames lastName and last_name to lastname', () => {
    expect([normalizeKey('lastName'), normalizeKey('last_name')]).toEqual(['lastname', 'lastname'])
  })

  it('lower-cases keys', () => {
    expect([normalizeKey('Plan'), normalizeKey('LTV'), normalizeKey('createdAt')]).toEqual(['plan', 'ltv', 'createdat'])
  })

  it('turns each run of characters outside [a-z0-9_] into one underscore', () => {
    expect([
      normalizeKey('Favourite Colour'),
      normalizeKey('user.plan'),
      normalizeKey('e-mail'),
      normalizeKey('a -- b'),
      normalizeKey('Café au lait'),
      normalizeKey('price ($)'),
    ]).toEqual(['favourite_colour', 'user_plan', 'e_mail', 'a_b', 'caf_au_lait', 'price_'])
  })

  it('keeps underscores and digits as they are', () => {
    expect([normalizeKey('utm_source_2'), normalizeKey('a__b')]).toEqual(['utm_source_2', 'a__b'])
  })

  it('drops keys that do not start with a letter once normalized', () => {
    expect([
      normalizeKey('1st_touch'),
      normalizeKey('_private'),
      normalizeKey(' plan'),
      normalizeKey('__proto__'),
      normalizeKey('Ünits'),
      normalizeKey(''),
    ]).toEqual([null, null, null, null, null, null])
  })

  it('returns constructor as the string "constructor" (not a lookup on Object.prototype)', () => {
    expect(normalizeKey('constructor')).toBe('constructor')
  })
})

describe('normalizeValue', () => {
  it('keeps booleans and finite numbers as they are', () => {
    expect([normalizeValue(true), normalizeValue(false), normalizeValue(0), normalizeValue(-12.5)]).toEqual([
      true,
      false,
      0,
      -12.5,
    ])
  })

  it('drops NaN and both infinities', () => {
    expect([normalizeValue(NaN), normalizeValue(Infinity), normalizeValue(-Infinity)]).toEqual([
      undefined,
      undefined,
      undefined,
    ])
  })

  it('turns a Date into epoch milliseconds', () => {
    expect(normalizeValue(new Date('2019-10-14T11:15:53.296Z'))).toBe(1571051753296)
  })

  it('drops an invalid Date', () => {
    expect(normalizeValue(new Date('not a date'))).toBeUndefined()
  })

  it('turns full ISO-8601 date-times with Z or an offset into epoch milliseconds', () => {
    expect([
      normalizeValue('2019-10-14T11:15:53.296Z'),
      normalizeValue('2019-10-14T11:15:53Z'),
      normalizeValue('2019-10-14T13:15:53+02:00'),
      normalizeValue('2019-10-14T06:15:53-0500'),
      normalizeValue('2019-10-14T11:15Z'),
    ]).toEqual([1571051753296, 1571051753000, 1571051753000, 1571051753000, 1571051700000])
  })

  it('leaves other date-like strings alone: a plain date, a US date, a date-time without a zone', () => {
    expect([
      normalizeValue('2019-10-14'),
      normalizeValue('10/14/2019'),
      normalizeValue('2019-10-14T11:15:53'),
      normalizeValue('Mon Oct 14 2019'),
    ]).toEqual(['2019-10-14', '10/14/2019', '2019-10-14T11:15:53', 'Mon Oct 14 2019'])
  })

  it('leaves an ISO-shaped string that is not a real date-time alone', () => {
    expect(normalizeValue('2019-13-45T11:15:53Z')).toBe('2019-13-45T11:15:53Z')
  })

  it('trims whitespace around strings and keeps it inside', () => {
    expect(normalizeValue('  New Orleans \n\t')).toBe('New Orleans')
  })

  it('trims zero-width characters \\u200B-\\u200D and \\uFEFF around strings', () => {
    expect([
      normalizeValue('\u200BAlex\u200B'),
      normalizeValue('\u200CAlex\u200D'),
      normalizeValue('\uFEFF Alex \u200B '),
    ]).toEqual(['Alex', 'Alex', 'Alex'])
  })

  it('trims a date-time string before recognising it', () => {
    expect(normalizeValue(' 2019-10-14T11:15:53.296Z\u200B')).toBe(1571051753296)
  })

  it('joins arrays of primitives with ";" (multi-checkbox), trimming the strings', () => {
    expect([normalizeValue(['red', ' green ']), normalizeValue([1, true, 'x'])]).toEqual(['red;green', '1;true;x'])
  })

  it('drops arrays that hold an object or another array', () => {
    expect([normalizeValue(['a', { b: 1 }]), normalizeValue(['a', ['b']])]).toEqual([undefined, undefined])
  })

  it('drops objects, functions, undefined and null', () => {
    expect([
      normalizeValue({ a: 1 }),
      normalizeValue(() => 1),
      normalizeValue(undefined),
      normalizeValue(null),
    ]).toEqual([undefined, undefined, undefined, undefined])
  })
})

describe('normalizeTraits', () => {
  it('normalizes keys and drops those that cannot start with a letter', () => {
    expect(
      normalizeTraits({ 'Favourite Colour': 'blue', '1st touch': 'ad', _hidden: 'x', 'user.plan': 'pro' }),
    ).toEqual({
      favourite_colour: 'blue',
      user_plan: 'pro',
    })
  })

  it('drops a __proto__ key from JSON.parse without touching any prototype', () => {
    const traits = JSON.parse('{"__proto__": {"polluted": "yes"}, "plan": "pro"}') as Record<string, unknown>
    const out = normalizeTraits(traits)
    expect(out).toEqual({ plan: 'pro' })
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps a trait named constructor under that name', () => {
    expect(normalizeTraits({ constructor: 'Bob the Builder', plan: 'pro' })).toEqual({
      constructor: 'Bob the Builder',
      plan: 'pro',
    })
  })

  it('lets the later of two keys that normalize alike win', () => {
    expect(normalizeTraits({ Plan: 'free', plan: 'pro' })).toEqual({ plan: 'pro' })
    expect(normalizeTraits({ plan: 'pro', Plan: 'free' })).toEqual({ plan: 'free' })
  })

  it('lets the later of firstName and first_name win', () => {
    expect(normalizeTraits({ firstName: 'A', first_name: 'B' })).toEqual({ firstname: 'B' })
    expect(normalizeTraits({ first_name: 'B', firstName: 'A' })).toEqual({ firstname: 'A' })
    expect(normalizeTraits({ lastName: 'C', last_name: 'D' })).toEqual({ lastname: 'D' })
  })

  it('turns Date values into epoch ms and drops invalid ones', () => {
    expect(normalizeTraits({ signed_up: new Date(0), broken: new Date('nope') })).toEqual({ signed_up: 0 })
  })

  it('keeps finite numbers and booleans, drops NaN and Infinity', () => {
    expect(normalizeTraits({ age: 42, vip: false, ratio: NaN, max: Infinity })).toEqual({ age: 42, vip: false })
  })

  it('leaves a plain date string and a US date string alone', () => {
    expect(normalizeTraits({ birthday: '2019-10-14', renewal: '10/14/2019' })).toEqual({
      birthday: '2019-10-14',
      renewal: '10/14/2019',
    })
  })

  it('spreads an address object into address, city, state, zip and country', () => {
    expect(
      normalizeTraits({
        address: { street: '1 Main St', city: 'New Orleans', state: 'LA', postalCode: '70112', country: 'USA' },
      }),
    ).toEqual({ address: '1 Main St', city: 'New Orleans', state: 'LA', zip: '70112', country: 'USA' })
  })

  it('takes zip from address.zip as well as address.postalCode', () => {
    expect(normalizeTraits({ address: { zip: '70112' } })).toEqual({ zip: '70112' })
  })

  it('lets top-level keys win over the parts of an address object, before or after it', () => {
    expect(normalizeTraits({ city: 'Paris', address: { city: 'New Orleans', country: 'USA' }, zip: '75001' })).toEqual({
      city: 'Paris',
      country: 'USA',
      zip: '75001',
    })
    expect(
      normalizeTraits({ address: { city: 'New Orleans', postalCode: '70112' }, City: 'Paris', Zip: '75001' }),
    ).toEqual({
      city: 'Paris',
      zip: '75001',
    })
  })

  it('keeps an address given as a string', () => {
    expect(normalizeTraits({ address: ' 1 Main St ' })).toEqual({ address: '1 Main St' })
  })

  it('turns company {name} into company', () => {
    expect(normalizeTraits({ company: { name: 'Initech', employees: 200 } })).toEqual({ company: 'Initech' })
  })

  it('keeps company given as a string', () => {
    expect(normalizeTraits({ company: 'Initech' })).toEqual({ company: 'Initech' })
  })

  it('joins arrays of primitives with ";" and drops arrays with objects', () => {
    expect(normalizeTraits({ interests: ['golf', 'chess'], orders: [{ id: 1 }] })).toEqual({ interests: 'golf;chess' })
  })

  it('with flat, flattens nested objects into parent_child keys and keeps address and company whole for their mapping', () => {
    expect(
      normalizeTraits(
        { prefs: { Color: 'red', size: { w: 2 } }, address: { city: 'Paris' }, company: { name: 'Initech', size: 5 } },
        undefined,
        undefined,
        { flat: true },
      ),
    ).toEqual({ prefs_color: 'red', prefs_size_w: 2, city: 'Paris', company: 'Initech' })
  })

  it('with flat, a nested key that clashes with a top-level one: the later wins, as for any two keys', () => {
    expect(normalizeTraits({ a_b: 'top', a: { b: 'nested' } }, undefined, undefined, { flat: true })).toEqual({
      a_b: 'nested',
    })
  })

  it('with flat, reads at most MAX_FLATTENED nested values however the object is built (shared sub-objects)', () => {
    const leaf: Record<string, number> = {}
    for (let i = 0; i < 40; i++) leaf[`k${i}`] = i
    const mid: Record<string, unknown> = {}
    for (let i = 0; i < 40; i++) mid[`m${i}`] = leaf
    const top: Record<string, unknown> = {}
    for (let i = 0; i < 40; i++) top[`t${i}`] = mid // 64,000 paths to the same leaves
    const notes: string[] = []
    const started = performance.now()
    const out = normalizeTraits({ top }, undefined, notes, { flat: true })
    expect(performance.now() - started).toBeLessThan(200)
    expect(Object.keys(out).length).toBeLessThanOrEqual(MAX_FLATTENED)
    expect(notes).toEqual([`nested values beyond the first ${MAX_FLATTENED} dropped`])
  })

  it('drops nested objects, functions, undefined and null', () => {
    expect(normalizeTraits({ prefs: { a: 1 }, fn: () => 1, missing: undefined, nothing: null, plan: 'pro' })).toEqual({
      plan: 'pro',
    })
  })

  it('trims whitespace and zero-width characters from every string value', () => {
    expect(
      normalizeTraits({
        firstName: ' Alex ',
        lastName: '\u200BKeener\uFEFF',
        tags: [' a\u200C', '\u200Db '],
        address: { city: ' New Orleans\u200B' },
        company: { name: '\uFEFFInitech ' },
      }),
    ).toEqual({ firstname: 'Alex', lastname: 'Keener', tags: 'a;b', city: 'New Orleans', company: 'Initech' })
  })

  it('cuts string values at the contact limit of 65,536 characters', () => {
    expect(CONTACT_VALUE_LIMIT).toBe(65536)
    const out = normalizeTraits({ notes: 'x'.repeat(70000), short: 'y'.repeat(65536) })
    expect(out).toEqual({ notes: 'x'.repeat(65536), short: 'y'.repeat(65536) })
  })

  it('cuts at the given limit when one is passed', () => {
    expect(normalizeTraits({ notes: 'abcdef' }, 4)).toEqual({ notes: 'abcd' })
  })

  it('cuts address parts and the company name at the contact limit too', () => {
    const long = 'z'.repeat(70000)
    const out = normalizeTraits({ address: { city: long }, company: { name: long } })
    // Compared by length so that a failure stays readable.
    expect({ city: String(out.city).length, company: String(out.company).length }).toEqual({
      city: 65536,
      company: 65536,
    })
  })

  it('returns {} for anything that is not a plain object', () => {
    expect([normalizeTraits(null), normalizeTraits('x'), normalizeTraits(['a']), normalizeTraits(undefined)]).toEqual([
      {},
      {},
      {},
      {},
    ])
  })

  it('never mutates its input', () => {
    const input = deepFreeze({
      firstName: ' Alex ',
      address: { street: '1 Main St', city: 'New Orleans' },
      company: { name: 'Initech' },
      tags: ['a', 'b'],
      created: '2019-10-14T11:15:53.296Z',
      Plan: 'pro',
    })
    const before = structuredClone(input)
    expect(normalizeTraits(input)).toEqual({
      firstname: 'Alex',
      address: '1 Main St',
      city: 'New Orleans',
      company: 'Initech',
      tags: 'a;b',
      created: 1571051753296,
      plan: 'pro',
    })
    expect(input).toEqual(before)
  })
})

describe('toEmail', () => {
  it('accepts a valid email and trims it', () => {
    expect([toEmail('alex@example.com'), toEmail(' Alex+tag@Example.co.uk\u200B')]).toEqual([
      'alex@example.com',
      'Alex+tag@Example.co.uk',
    ])
  })

  it('refuses invalid addresses, non-strings and addresses over 254 characters', () => {
    expect([
      toEmail('alex@'),
      toEmail('alex@example'),
      toEmail('alex example@example.com'),
      toEmail('<alex@example.com>'),
      toEmail('user-1'),
      toEmail(''),
      toEmail(42),
      toEmail(null),
      toEmail('a'.repeat(250) + '@example.com'),
    ]).toEqual([null, null, null, null, null, null, null, null, null])
  })
})

describe('trimming long strings', () => {
  it('trims in linear time: a 1 MB value with a long run of inner spaces takes milliseconds', () => {
    const value = ' x' + ' '.repeat(1_000_000) + 'x\u200b '
    const started = performance.now()
    expect(trim(value)).toBe('x' + ' '.repeat(1_000_000) + 'x')
    expect(performance.now() - started).toBeLessThan(200)
  })
})
