// @vitest-environment node
/**
 * Property-based tests of the pure core (issue 5, "Bad input never breaks anything"):
 * arbitrary events, including every kind of value a site can put in one, go through
 * trackCommands, identifyCommands, groupCommands, pagePath/pageCommands and normalizeTraits.
 * For each case: nothing throws, every command is one HubSpot knows with the right shape,
 * every key and value is one HubSpot accepts, the input is unchanged and no prototype is
 * polluted. The rare huge values (1 MB strings, a 10,000-key object) come from a small
 * constant pool with a low weight, so the file stays fast.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { groupCommands, identifyCommands, pagePath, pageStep, pageTitle } from '../src/core/device/commands'
import { trackCommands } from '../src/core/device/track'
import { parseSettings, type ResolvedSettings } from '../src/core/device/settings'
import { normalizeTraits } from '../src/core/traits'
import type { AnalyticsEvent, Translation } from '../src/core/types'

type Dict = Record<string, unknown>

// ---------------------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------------------

const KEY = /^[a-z][a-z0-9_]*$/
const EVENT_NAME = /^pe\d+_[a-z0-9_]+$/
const MAX_EVENT_PROPERTIES = 50
const EVENT_VALUE_LIMIT = 1024
const CONTACT_VALUE_LIMIT = 65536

function fail(message: string): never {
  throw new Error(message)
}

/** A short, never-throwing description of any value, for failure messages. */
function show(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? value.slice(0, 60) + `…(${value.length} chars)` : value)
  if (typeof value === 'symbol' || typeof value === 'bigint' || typeof value === 'function') {
    return typeof value === 'bigint' ? `${value}n` : typeof value === 'function' ? '[function]' : value.toString()
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value)
  if (typeof value !== 'object' || value === null) return String(value)
  try {
    const text = JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'string' && v.length > 60
        ? v.slice(0, 60) + `…(${v.length} chars)`
        : typeof v === 'bigint'
          ? `${v}n`
          : v,
    )
    return text.length > 300 ? text.slice(0, 300) + '…' : text
  } catch {
    return Object.prototype.toString.call(value)
  }
}

const isRecord = (v: unknown): v is Dict => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}

/**
 * HubSpot properties: `[a-z][a-z0-9_]*` keys, values a string (≤ limit), a finite number or a
 * boolean; in a command only text (HubSpot's tracker would send a falsy 0 or false as nothing).
 */
function checkProperties(props: unknown, valueLimit: number, maxKeys: number, where: string, text = false): void {
  if (!isRecord(props)) fail(`${where}: properties are not a plain object: ${show(props)}`)
  const keys = Reflect.ownKeys(props)
  if (keys.length > maxKeys) fail(`${where}: ${keys.length} properties, more than ${maxKeys}`)
  for (const key of keys) {
    if (typeof key !== 'string' || !KEY.test(key)) fail(`${where}: key ${show(key)} is not [a-z][a-z0-9_]*`)
    const descriptor = Object.getOwnPropertyDescriptor(props, key)
    if (!descriptor || !('value' in descriptor)) fail(`${where}: ${key} is not a data property`)
    const value: unknown = descriptor.value
    if (typeof value === 'string') {
      if (value.length > valueLimit) fail(`${where}: ${key} is ${value.length} characters, over ${valueLimit}`)
    } else if (text) {
      fail(`${where}: ${key} is ${show(value)} (${typeof value}), not text`)
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) fail(`${where}: ${key} is ${show(value)}, not a finite number`)
    } else if (typeof value !== 'boolean') {
      fail(`${where}: ${key} is ${show(value)} (${typeof value}), not a string, finite number or boolean`)
    }
  }
}

const hasOnlyKeys = (o: object, allowed: string[]) =>
  Reflect.ownKeys(o).every((k) => typeof k === 'string' && allowed.includes(k))

/** One `_hsq` command the core may produce, with the shape HubSpot expects. */
function checkCommand(command: unknown, hubId: string | null): void {
  if (!Array.isArray(command) || command.length === 0) fail(`not a command: ${show(command)}`)
  const [name, arg] = command as unknown[]
  switch (name) {
    case 'setPath':
      if (command.length !== 2 || typeof arg !== 'string' || arg[0] !== '/') fail(`bad setPath: ${show(command)}`)
      return
    case 'trackPageView':
      if (command.length !== 1) fail(`bad trackPageView: ${show(command)}`)
      return
    case 'identify':
      if (command.length !== 2) fail(`bad identify: ${show(command)}`)
      checkProperties(arg, CONTACT_VALUE_LIMIT, Infinity, 'identify', true)
      if (typeof (arg as Dict).email !== 'string') fail(`identify without a string email: ${show(arg)}`)
      return
    case 'trackCustomBehavioralEvent': {
      if (command.length !== 2 || !isRecord(arg) || !hasOnlyKeys(arg, ['name', 'properties']))
        fail(`bad trackCustomBehavioralEvent: ${show(command)}`)
      const eventName = arg.name
      if (typeof eventName !== 'string' || !EVENT_NAME.test(eventName) || eventName.length > 50)
        fail(`bad custom behavioral event name: ${show(eventName)}`)
      if (hubId !== null && !eventName.startsWith(`pe${hubId}_`))
        fail(`event name ${show(eventName)} is not of hub ${hubId}`)
      checkProperties(arg.properties, EVENT_VALUE_LIMIT, MAX_EVENT_PROPERTIES, `event ${eventName}`, true)
      return
    }
    case 'trackEvent': {
      if (command.length !== 2 || !isRecord(arg) || !hasOnlyKeys(arg, ['id', 'value']))
        fail(`bad trackEvent: ${show(command)}`)
      if (typeof arg.id !== 'string' || arg.id === '') fail(`trackEvent without an id: ${show(command)}`)
      if ('value' in arg && !(typeof arg.value === 'string' && Number.isFinite(Number(arg.value)) && arg.value !== ''))
        fail(`trackEvent value ${show(arg.value)} is not the text of a finite number`)
      return
    }
    default:
      fail(`a command HubSpot does not know here: ${show(command)}`)
  }
}

function checkTranslation(result: Translation, hubId: string | null): void {
  if (!isRecord(result) || !Array.isArray(result.commands) || !Array.isArray(result.notes))
    fail(`not a translation: ${show(result)}`)
  for (const command of result.commands as unknown[]) checkCommand(command, hubId)
  for (const note of result.notes as unknown[])
    if (typeof note !== 'string') fail(`a note that is not a string: ${show(note)}`)
}

// ---------------------------------------------------------------------------------------
// Input unchanged, prototypes untouched
// ---------------------------------------------------------------------------------------

const NOTHING: ReadonlySet<object> = new Set()

/**
 * A flat list of tokens describing a value graph: for every object (functions, Maps, Sets
 * and Dates included) its identity, prototype, extensibility, own keys (symbols too) with
 * their attributes and values, Map/Set entries and Date time. Getters are recorded, never
 * called. Cycles and shared objects become back-references. Two snapshots are equal
 * (token by token, with Object.is) exactly when structure and primitive values are.
 */
function snapshot(root: unknown, skip: ReadonlySet<object> = NOTHING): unknown[] {
  const tokens: unknown[] = []
  const ids = new Map<object, number>()
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const value = stack.pop()
    if ((typeof value !== 'object' || value === null) && typeof value !== 'function') {
      tokens.push(typeof value, value)
      continue
    }
    const obj = value
    const id = ids.get(obj)
    if (id !== undefined) {
      tokens.push('ref', id)
      continue
    }
    if (skip.has(obj)) {
      tokens.push('pooled', obj)
      continue
    }
    ids.set(obj, ids.size)
    tokens.push('object', obj, Object.getPrototypeOf(obj), Object.isExtensible(obj))
    const children: unknown[] = []
    if (obj instanceof Date) {
      try {
        tokens.push('time', Date.prototype.getTime.call(obj))
      } catch {
        tokens.push('not a real Date')
      }
    }
    if (obj instanceof Map) {
      try {
        Map.prototype.forEach.call(obj, (v: unknown, k: unknown) => children.push(k, v))
        tokens.push('map', children.length)
      } catch {
        tokens.push('not a real Map')
      }
    }
    if (obj instanceof Set) {
      try {
        Set.prototype.forEach.call(obj, (v: unknown) => children.push(v))
        tokens.push('set', children.length)
      } catch {
        tokens.push('not a real Set')
      }
    }
    const keys = Reflect.ownKeys(obj)
    tokens.push('keys', keys.length)
    for (const key of keys) {
      const d = Object.getOwnPropertyDescriptor(obj, key)
      if (!d) continue
      tokens.push(key, d.enumerable, d.configurable, d.writable)
      if ('value' in d) children.push(d.value)
      else tokens.push('accessor', d.get, d.set)
    }
    // Children are walked in reverse so the token order follows key order (for messages only).
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i])
  }
  return tokens
}

function checkUnchanged(before: unknown[], after: unknown[]): void {
  const n = Math.max(before.length, after.length)
  for (let i = 0; i < n; i++) {
    if (!Object.is(before[i], after[i])) {
      const near = (t: unknown[]) =>
        t
          .slice(Math.max(0, i - 6), i + 4)
          .map(show)
          .join(' ')
      fail(`the input changed at token ${i}: before … ${near(before)} …, after … ${near(after)} …`)
    }
  }
}

const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
]

function prototypeState(): unknown[] {
  const state: unknown[] = []
  for (const [, proto] of PROTOTYPES) {
    const keys = Reflect.ownKeys(proto)
    state.push(keys.length)
    for (const key of keys) {
      const d = Object.getOwnPropertyDescriptor(proto, key)
      state.push(key, d?.value, d?.get, d?.set)
    }
  }
  return state
}

function checkPrototypes(before: unknown[]): void {
  const after = prototypeState()
  if (after.length !== before.length || after.some((t, i) => !Object.is(t, before[i]))) {
    const changed = PROTOTYPES.filter(([, p]) => Reflect.ownKeys(p).length).map(
      ([n, p]) => `${n}: ${Reflect.ownKeys(p).map(String).join(',')}`,
    )
    fail(`a prototype was polluted:\n${changed.join('\n')}`)
  }
  if (({} as Dict).polluted !== undefined || ([] as unknown as Dict).polluted !== undefined)
    fail('({}).polluted is defined')
}

/**
 * Runs the code under test on `input` and checks the guarantees every entry point shares:
 * it returns (an exception fails the property), the input is unchanged, no prototype gained
 * or lost anything.
 */
function guarded<T>(input: unknown, run: () => T): T {
  const before = snapshot(input, POOLED)
  const protos = prototypeState()
  const result = run()
  checkUnchanged(before, snapshot(input, POOLED))
  checkPrototypes(protos)
  return result
}

// ---------------------------------------------------------------------------------------
// Values a site can send
// ---------------------------------------------------------------------------------------

class Plain {
  name = 'plain'
  email = 'plain@example.com'
}
class WithGetter {
  readonly stored = 'Stored'
  declare readonly own: string
  constructor() {
    // An own, enumerable accessor: normalizeTraits reads it like any value.
    Object.defineProperty(this, 'own', { get: () => 'Own Getter', enumerable: true, configurable: true })
  }
  get computed(): string {
    return 'from the prototype'
  }
}
class Base {
  base = 'base'
  city = 'Base City'
}
class Derived extends Base {
  derived = 42
}
class Grandchild extends Derived {
  email = 'grand@example.com'
  override city = 'Grand City'
}
class ExtendedDate extends Date {}

const circularObject = (): Dict => {
  const o: Dict = { name: 'Loop', email: 'loop@example.com', city: 'Loopville' }
  o.self = o
  o.address = { city: 'Ring', parent: o }
  o.company = { name: 'Cycle Inc', owner: o }
  return o
}
const circularArray = (): unknown[] => {
  const a: unknown[] = ['a', 1]
  a.push(a)
  return a
}

/** Own `__proto__` (JSON.parse makes it an own key), and friends. */
const JSON_PROTO = JSON.parse(
  '{"__proto__": {"polluted": "yes", "email": "proto@example.com"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": 1}, "hasOwnProperty": "shadowed", "toString": 1, "valueOf": 2, "email": "json@example.com", "id": 7, "path": "/from-json"}',
) as Dict
const NULL_PROTO = Object.assign(Object.create(null) as Dict, {
  email: 'null@example.com',
  city: 'Nowhere',
  path: '/null',
})
const FROZEN = Object.freeze({
  email: 'frozen@example.com',
  firstName: 'Ice',
  address: Object.freeze({ city: 'Cold' }),
})
const SPARSE = (() => {
  const a: unknown[] = ['one']
  a[5] = 'six'
  return a
})()

const EXOTIC: unknown[] = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  10n,
  -(2n ** 70n),
  Symbol('s'),
  Symbol.iterator,
  () => 'arrow',
  function named() {
    return 1
  },
  Plain,
  new Plain(),
  new WithGetter(),
  new Derived(),
  new Grandchild(),
  new Map<unknown, unknown>([
    ['email', 'map@example.com'],
    [{}, 1],
  ]),
  new Set<unknown>(['a', 1, {}]),
  new WeakMap(),
  new Date(0),
  new Date('2024-02-29T12:00:00.000Z'),
  new Date(NaN),
  new Date(8.64e15),
  new ExtendedDate(1e12),
  new ExtendedDate(NaN),
  /regex/g,
  new Error('boom'),
  new String('boxed'),
  new Number(3),
  new Boolean(false),
  new Uint8Array([1, 2, 3]),
  Promise.resolve(1),
  Object.create({ inherited: 'x', email: 'inherited@example.com' }) as unknown,
  NULL_PROTO,
  Object.create(null) as unknown,
  FROZEN,
  SPARSE,
  [1, 'two', true, 3.5],
  ['a', null],
  [[1]],
  circularObject(),
  circularArray(),
  JSON_PROTO,
  // An object whose prototype chain has Date.prototype without being a Date (named for fast-check's reports).
  Object.defineProperty(Object.create(Date.prototype), fc.toStringMethod, {
    value: () => 'Object.create(Date.prototype)',
  }) as unknown,
]

const ONE_MB = 1_000_000
const MB_INNER_SPACES = 'x' + ' '.repeat(ONE_MB) + 'x'
const MB_SPACES = ' '.repeat(ONE_MB)
const MB_LETTERS = 'Ab'.repeat(ONE_MB / 2)
const KB100_NAME = 'Order Completed '.repeat(6400) // 102,400 characters
const TEN_THOUSAND_KEYS = (() => {
  const o: Dict = {}
  for (let i = 0; i < 10_000; i++)
    o[i % 3 === 0 ? `key${i}` : i % 3 === 1 ? `Key ${i} Name` : `${i}`] = i % 2 ? `value ${i}` : i
  return o
})()

/** The rare, expensive ones: drawn with a low weight. */
const HUGE: unknown[] = [
  MB_INNER_SPACES,
  MB_SPACES,
  MB_LETTERS,
  KB100_NAME,
  TEN_THOUSAND_KEYS,
  { email: 'huge@example.com', bio: MB_INNER_SPACES, url: MB_LETTERS, name: MB_SPACES },
  [MB_INNER_SPACES, 'b'],
]

/**
 * The 10,000-key object is shared by every case that draws it; walking it twice per case
 * would be most of the run time. Each case records it by identity only, and the whole
 * constant pool is compared with its snapshot from before the properties after each one.
 */
const POOLED: ReadonlySet<object> = new Set([TEN_THOUSAND_KEYS])
const POOL: unknown[] = [EXOTIC, HUGE]
const POOL_SNAPSHOT = snapshot(POOL)
const checkPool = () => checkUnchanged(POOL_SNAPSHOT, snapshot(POOL))

const SCARY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'isPrototypeOf',
  '',
  '   ',
  '\t\n',
  '\u200b',
  '😀',
  '🎉 Party Time',
  '0',
  '42',
  '1e3',
  '-1',
  'é',
  'Café Crème',
  'ÉLAN vital',
  'İstanbul',
  '\u212a', // Kelvin sign: lower-cases to "k"
  'Straße',
  'first_name',
  'First Name',
  'lastName',
  'last-name',
  '_private',
  '$dollar',
  'a'.repeat(300),
]
/** The keys the core reads, so that its interesting paths are taken often. */
const READ_KEYS = [
  'email',
  'Email',
  'id',
  'name',
  'company',
  'address',
  'street',
  'line1',
  'city',
  'state',
  'postalCode',
  'postal_code',
  'zip',
  'country',
  'utk',
  'revenue',
  'value',
  'assetDescription',
  'hsAssetDescription',
  'assetType',
  'hsAssetType',
  'campaignId',
  'elementClass',
  'hsElementClass',
  'elementId',
  'hsElementId',
  'orderId',
  'url',
  'page_url',
  'referrer',
  'href',
  'path',
  'search',
  'traits',
  'page',
  'device',
]

const EMAILS = [
  'alex@example.com',
  '  Alex@Example.COM\u200b ',
  'a@b.co',
  'x@xn--80ak6aa92e.com',
  'user+tag@sub.example.org',
  'bad@',
  '@example.com',
  'no at all',
  'a@b',
  'a@b_c.com',
  '',
]
const ODD_STRINGS = [
  '/',
  '/pricing',
  '/a b?c=d#e',
  '//evil.example/x',
  '/\\evil.example',
  'relative/path',
  '?q=1',
  'q=1',
  'https://example.com/x?y=1',
  'javascript:alert(1)',
  '2024-02-29T12:00:00Z',
  '2024-02-30T25:61:00Z',
  '2019-10-14T11:15:53.296+02:00',
  '  padded  ',
  '\u200b\ufeffzero width\u200d',
  '   ',
  '',
  'a;b',
  'true',
  '1e309',
  '\ud800 lone surrogate',
  '😀'.repeat(200),
  'é'.repeat(1100),
  'x'.repeat(256) + ' ' + 'y'.repeat(800),
  'z'.repeat(70_000),
]

const SETTINGS: Record<string, ResolvedSettings> = {
  custom: parseSettings({ hubId: '1234567' }),
  custom12: parseSettings({ hubId: '123456789012', flushIdentify: true }),
  legacy: parseSettings({ hubId: '1234567', unmappedEvents: 'legacy' }),
  ignore: parseSettings({ hubId: '1234567', unmappedEvents: 'ignore', flushIdentify: true }),
  // Mapped events with property renames, including keys that are Object.prototype names.
  mapped: parseSettings({
    hubId: '1234567',
    events: JSON.parse(
      JSON.stringify({
        'Order Completed': {
          name: 'pe1234567_order_completed',
          properties: {
            revenue: 'amount',
            orderId: 'order_id',
            url: 'page_url',
            constructor: 'ctor',
            email: 'email',
            '🎉': 'party',
            value: 'hs_value',
          },
        },
        'Signed Up': 'pe1234567_signed_up',
        constructor: 'pe1234567_ctor',
        toString: { name: 'pe1234567_' + 'x'.repeat(40), properties: { toString: 'to_string', hasOwnProperty: 'own' } },
      }),
    ),
  }),
  mappedProto: parseSettings({
    hubId: '99',
    unmappedEvents: 'ignore',
    events: JSON.parse(
      '{"__proto__": {"name": "pe99_proto", "properties": {"__proto__": "proto_prop", "prototype": "proto2"}}, "Order Completed": "pe99_order"}',
    ),
  }),
}
const SETTING_NAMES = Object.keys(SETTINGS)

// ---------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------

const keyArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...READ_KEYS) },
  { weight: 3, arbitrary: fc.constantFrom(...SCARY_KEYS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
)

/** fc.anything with every kind of JavaScript value it knows. */
const anythingArb = fc.anything({
  key: keyArb,
  maxDepth: 2,
  maxKeys: 6,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  stringUnit: 'binary',
})

/** Builds an object with own keys exactly as given (`__proto__` included), later duplicates winning. */
function toObject(entries: Array<[string, unknown]>): Dict {
  const o: Dict = {}
  for (const [key, value] of entries)
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
  return o
}

const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  { weight: 15, arbitrary: anythingArb },
  { weight: 15, arbitrary: fc.constantFrom<unknown>(...EXOTIC) },
  { weight: 12, arbitrary: fc.constantFrom(...EMAILS) },
  { weight: 12, arbitrary: fc.constantFrom(...ODD_STRINGS) },
  { weight: 6, arbitrary: fc.double() },
  { weight: 3, arbitrary: fc.bigInt() },
  { weight: 3, arbitrary: fc.date({ noInvalidDate: false }) },
  { weight: 6, arbitrary: fc.array(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.double()), { maxLength: 5 }) },
)

const { value: valueArb, object: objectArb } = fc.letrec<{ value: unknown; object: Dict }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'xsmall', withCrossShrink: true },
    { weight: 6, arbitrary: leafArb },
    { weight: 3, arbitrary: tie('object') },
    { weight: 1, arbitrary: fc.array(tie('value'), { maxLength: 3 }) },
  ),
  object: fc.array(fc.tuple(keyArb, tie('value')), { maxLength: 6 }).map(toObject),
}))

/**
 * One of the huge values, alone or among ordinary entries. Drawn about once in 600 parts
 * (about 1 % of events): enough to meet each one many times over the file, cheap overall.
 */
const hugeArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HUGE),
  fc
    .tuple(objectArb, keyArb, fc.constantFrom(...HUGE))
    .map(([o, key, huge]) => toObject([...Object.entries(o), [key, huge]])),
)

const idArb = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom<unknown>(...EMAILS, 'user-1', 7, '7', 'anon-1') },
  { weight: 2, arbitrary: fc.constantFrom(...EXOTIC) },
  { weight: 2, arbitrary: valueArb },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

/** Traits of a person or company: the keys the core reads (email first of all), among random ones. */
const personArb: fc.Arbitrary<Dict> = fc
  .tuple(
    objectArb,
    fc.record(
      {
        email: fc.oneof(fc.constantFrom(...EMAILS), valueArb),
        id: idArb,
        name: valueArb,
        company: valueArb,
        address: fc.oneof(objectArb, valueArb),
      },
      { requiredKeys: [] },
    ),
  )
  .map(([random, known]) => toObject([...Object.entries(random), ...Object.entries(known)]))

/** Mostly an object (what the core reads), sometimes anything at all, rarely something huge. */
const partArb = fc.oneof(
  { weight: 250, arbitrary: objectArb },
  { weight: 150, arbitrary: personArb },
  { weight: 150, arbitrary: valueArb },
  { weight: 50, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: hugeArb },
)

const eventNameArb: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 300,
    arbitrary: fc.constantFrom(
      'Order Completed',
      '  order COMPLETED\t',
      'ORDER COMPLETED',
      'Signed Up',
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'prototype',
      '',
      '   ',
      '\u200b',
      '___',
      '🎉',
      '🎉 Launch',
      'Café Crème',
      'İ',
      '123',
      '-',
      'a'.repeat(60),
      'Ünïcödé Ëvent ' + 'ß'.repeat(40),
    ),
  },
  { weight: 250, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 100, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }) },
  { weight: 250, arbitrary: valueArb },
  // About one event in 300.
  { weight: 3, arbitrary: fc.constantFrom(KB100_NAME, MB_INNER_SPACES, MB_SPACES, MB_LETTERS) },
)

const contextArb = fc.oneof(
  { weight: 5, arbitrary: fc.record({ traits: partArb, page: partArb, device: partArb }, { requiredKeys: [] }) },
  { weight: 1, arbitrary: valueArb },
)

const eventArb: fc.Arbitrary<AnalyticsEvent> = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'identify', 'page', 'group'), valueArb),
    event: eventNameArb,
    userId: idArb,
    anonymousId: idArb,
    traits: partArb,
    properties: partArb,
    context: contextArb,
  },
  { requiredKeys: [] },
)

const settingsArb = fc.constantFrom(...SETTING_NAMES)

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

const RUNS = 2500

// Thousands of cases each: on a busy shared machine they take seconds, not the default 5 s budget.
describe('fuzzed events never break the core', { timeout: 60_000 }, () => {
  it(`trackCommands: valid commands, input unchanged, no pollution (${RUNS} cases over ${SETTING_NAMES.length} settings)`, () => {
    fc.assert(
      fc.property(eventArb, settingsArb, (event, name) => {
        const settings = SETTINGS[name]
        const result = guarded(event, () => trackCommands(event, settings))
        checkTranslation(result, settings.hubId)
        if (result.commands.filter((c) => c[0] !== 'identify').length > 1) fail('more than one event command')
      }),
      { numRuns: RUNS },
    )
    checkPool()
  })

  it(`identifyCommands: valid commands, input unchanged, no pollution (${RUNS} cases, loaded and flushIdentify both ways)`, () => {
    fc.assert(
      fc.property(eventArb, fc.boolean(), fc.boolean(), (event, loaded, flush) => {
        const settings = flush ? SETTINGS.custom12 : SETTINGS.custom
        const result = guarded(event, () => identifyCommands(event, settings, loaded))
        checkTranslation(result, settings.hubId)
        const views = result.commands.filter((c) => c[0] === 'trackPageView').length
        if (views > (flush && loaded ? 1 : 0)) fail(`${views} page views for flushIdentify ${flush}, loaded ${loaded}`)
      }),
      { numRuns: RUNS },
    )
    checkPool()
  })

  it(`groupCommands: valid commands, input unchanged, no pollution (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(eventArb, fc.constantFrom<string | null>(null, 'known@example.com'), (event, knownEmail) => {
        const result = guarded(event, () => groupCommands(event, knownEmail))
        checkTranslation(result, null)
      }),
      { numRuns: RUNS },
    )
    checkPool()
  })

  it(`pagePath, pageStep and normalizeTraits: valid output, input unchanged, no pollution (${RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        eventArb,
        fc.constantFrom('/', '/home?from=fallback'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom(undefined, 10, 1024),
        (event, fallback, first, loaded, atLoadLocation, limit) => {
          guarded(event, () => {
            const path = pagePath(event, fallback)
            if (typeof path !== 'string' || path[0] !== '/') fail(`pagePath gave ${show(path)}`)
            const title = pageTitle(event)
            if (title !== null && typeof title !== 'string') fail(`pageTitle gave ${show(title)}`)
            const step = pageStep(first, loaded, atLoadLocation)
            if (!['queue', 'view', 'none'].includes(step)) fail(`unknown step ${show(step)}`)

            const context = event.context as Dict | undefined
            const sources: unknown[] = [
              event.traits,
              event.properties,
              event,
              event.userId,
              typeof context === 'object' && context ? context.traits : context,
            ]
            for (const source of sources) {
              for (const flat of [false, true]) {
                const notes: string[] = []
                const traits = normalizeTraits(source, limit, notes, { flat })
                checkProperties(traits, limit ?? CONTACT_VALUE_LIMIT, Infinity, 'normalizeTraits')
                for (const note of notes)
                  if (typeof note !== 'string') fail(`a note that is not a string: ${show(note)}`)
              }
            }
          })
        },
      ),
      { numRuns: RUNS },
    )
    checkPool()
  })
})

// ---------------------------------------------------------------------------------------
// The scary inputs, one by one
// ---------------------------------------------------------------------------------------

/** Runs `run`, failing if it takes `ms` or more. */
function within<T>(ms: number, run: () => T): T {
  const start = performance.now()
  const result = run()
  const took = performance.now() - start
  expect(took, `took ${took.toFixed(1)} ms`).toBeLessThan(ms)
  return result
}

describe('scary inputs, deterministically', () => {
  it('a 1 MB string with a long run of inner spaces, as a trait value, completes in < 500 ms', () => {
    const traits = { email: 'big@example.com', bio: MB_INNER_SPACES, name: MB_SPACES, tags: [MB_INNER_SPACES] }
    const event = { type: 'identify', userId: 'u1', traits, context: { traits } }
    const identify = within(500, () => identifyCommands(event, SETTINGS.custom, true))
    checkTranslation(identify, null)
    const props = identify.commands[0][1] as Dict
    expect(props.email).toBe('big@example.com')
    expect((props.bio as string).length).toBeLessThanOrEqual(CONTACT_VALUE_LIMIT)
    expect(props.bio).toMatch(/^x/)
    expect(props.name).toBe('')
    within(500, () => normalizeTraits(traits))
    const track = within(500, () =>
      trackCommands({ event: 'Viewed', properties: traits, context: { traits } }, SETTINGS.custom),
    )
    checkTranslation(track, '1234567')
    expect(track.commands.map((c) => c[0])).toEqual(['identify', 'trackCustomBehavioralEvent'])
  })

  it('a 1 MB string as an event name completes in < 500 ms under every setting', () => {
    for (const name of SETTING_NAMES) {
      for (const eventName of [MB_INNER_SPACES, MB_SPACES, MB_LETTERS, KB100_NAME]) {
        const result = within(500, () => trackCommands({ event: eventName, properties: { a: 1 } }, SETTINGS[name]))
        checkTranslation(result, SETTINGS[name].hubId)
      }
    }
    const custom = trackCommands({ event: MB_INNER_SPACES }, SETTINGS.custom)
    expect(custom.commands).toEqual([['trackCustomBehavioralEvent', { name: 'pe1234567_x_x', properties: {} }]])
    expect(trackCommands({ event: MB_SPACES }, SETTINGS.custom).commands).toEqual([])
  })

  it('a 10,000-key properties object yields at most 50 properties, and says so in a note', () => {
    const result = within(500, () => trackCommands({ event: 'Big', properties: TEN_THOUSAND_KEYS }, SETTINGS.custom))
    checkTranslation(result, '1234567')
    const [, event] = result.commands[0] as ['trackCustomBehavioralEvent', { properties: Dict }]
    expect(Object.keys(event.properties)).toHaveLength(50)
    expect(result.notes.some((n) => n.includes('50'))).toBe(true)
    // As traits (no limit on the number of contact properties), still well-formed and quick.
    const identify = within(500, () =>
      identifyCommands({ traits: { ...TEN_THOUSAND_KEYS, email: 'k@example.com' } }, SETTINGS.custom, false),
    )
    checkTranslation(identify, null)
  })

  it('circular traits, properties and context do not hang', () => {
    const traits = circularObject()
    const properties = circularObject()
    const context: Dict = { traits, page: { path: '/loop' } }
    context.self = context
    ;(context.page as Dict).context = context
    const event: AnalyticsEvent = {
      type: 'track',
      event: 'Order Completed',
      userId: 'loop@example.com',
      traits,
      properties,
      context,
    }
    for (const name of SETTING_NAMES)
      checkTranslation(
        guarded(event, () => within(500, () => trackCommands(event, SETTINGS[name]))),
        SETTINGS[name].hubId,
      )
    checkTranslation(
      guarded(event, () => within(500, () => identifyCommands(event, SETTINGS.custom12, true))),
      null,
    )
    checkTranslation(
      guarded(event, () => within(500, () => groupCommands(event, 'loop@example.com'))),
      null,
    )
    expect(guarded(event, () => pagePath(event, '/'))).toBe('/loop')
    expect(guarded(traits, () => normalizeTraits(traits))).toEqual({
      name: 'Loop',
      email: 'loop@example.com',
      city: 'Loopville',
      company: 'Cycle Inc',
    })
  })

  it('__proto__, constructor and prototype keys pollute nothing and are not sent', () => {
    const event: AnalyticsEvent = {
      event: 'Order Completed',
      traits: JSON_PROTO,
      properties: JSON_PROTO,
      context: { traits: JSON_PROTO },
    }
    for (const name of SETTING_NAMES)
      checkTranslation(
        guarded(event, () => trackCommands(event, SETTINGS[name])),
        SETTINGS[name].hubId,
      )
    checkTranslation(
      guarded(event, () => identifyCommands(event, SETTINGS.custom, true)),
      null,
    )
    const proto = guarded(event, () =>
      trackCommands({ event: '__proto__', properties: JSON_PROTO }, SETTINGS.mappedProto),
    )
    checkTranslation(proto, '99')
    // The event named "__proto__" is the one mapped under that (own) key, not Object.prototype.
    expect(proto.commands.map((c) => (c[0] === 'trackCustomBehavioralEvent' ? c[1].name : c[0]))).toEqual([
      'identify',
      'pe99_proto',
    ])
    expect(trackCommands({ event: 'constructor' }, SETTINGS.ignore).commands).toEqual([])
    expect(trackCommands({ event: 'hasOwnProperty' }, SETTINGS.mappedProto).commands).toEqual([])
  })

  // Found by the properties above (kept as deterministic regressions).
  it('identify does not throw when userId cannot be converted to a string (a null-prototype object)', () => {
    const event: AnalyticsEvent = { traits: { email: 'a@b.co', id: 1 }, userId: Object.create(null) }
    checkTranslation(
      guarded(event, () => identifyCommands(event, SETTINGS.custom, true)),
      null,
    )
    const toStringNotAFunction: AnalyticsEvent = {
      traits: { email: 'a@b.co', id: 1 },
      anonymousId: { toString: 1, valueOf: 2 },
    }
    checkTranslation(
      guarded(toStringNotAFunction, () => identifyCommands(toStringNotAFunction, SETTINGS.custom, true)),
      null,
    )
  })

  it('an object inheriting Date.prototype without being a Date is skipped, not thrown on', () => {
    const fake: unknown = Object.create(Date.prototype)
    expect(() => normalizeTraits({ when: fake })).not.toThrow()
    const event: AnalyticsEvent = {
      event: 'Viewed',
      properties: { when: fake },
      traits: { email: 'a@b.co', when: fake },
    }
    checkTranslation(
      guarded(event, () => trackCommands(event, SETTINGS.custom)),
      '1234567',
    )
    checkTranslation(
      guarded(event, () => identifyCommands(event, SETTINGS.custom, true)),
      null,
    )
  })
})

// Rules the source states for itself (src/traits.ts: "HubSpot rejects values with surrounding
// whitespace"), checked where the fuzzed properties cannot see them: at the cut.
describe('cut values stay values HubSpot accepts', () => {
  const EDGE = /^[\s\u200b-\u200d\ufeff]|[\s\u200b-\u200d\ufeff]$/
  const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/
  const cutValues = (value: string) => {
    const track = trackCommands({ event: 'Viewed', properties: { note: value, page_url: value } }, SETTINGS.custom)
    const identify = identifyCommands(
      { traits: { email: 'a@b.co', note: 'x'.repeat(CONTACT_VALUE_LIMIT - 300) + value } },
      SETTINGS.custom,
      false,
    )
    const event = track.commands[0][1] as { properties: Dict }
    const contact = identify.commands[0][1] as Dict
    return [event.properties.note, event.properties.page_url, contact.note] as string[]
  }

  it('a value cut at the limit has no whitespace left at its end', () => {
    for (const value of cutValues('a' + ' '.repeat(1100) + 'b'))
      expect(value, `ends with ${show(value.slice(-5))}`).not.toMatch(EDGE)
  })

  it('a value cut at the limit does not end in half a surrogate pair (encodeURIComponent throws on it)', () => {
    for (const value of cutValues('a' + '😀'.repeat(600))) {
      expect(LONE_SURROGATE.test(value), `ends with ${show(value.slice(-3))}`).toBe(false)
      expect(() => encodeURIComponent(value)).not.toThrow()
    }
  })
})

// The checkers themselves: a change they cannot see would make the properties vacuous.
describe('the checkers see what they must', () => {
  it('the snapshot sees a changed value, an added or removed key, Map/Set/Date changes, in cycles too', () => {
    const make = () => {
      const o: Dict = {
        a: 1,
        nested: { b: 'x' },
        map: new Map([['k', 1]]),
        set: new Set([1]),
        date: new Date(0),
        list: [1, 2],
      }
      o.self = o
      return o
    }
    const changes: Array<(o: Dict) => void> = [
      (o) => (o.a = 2),
      (o) => (o.a = '1'),
      (o) => ((o.nested as Dict).b = 'y'),
      (o) => ((o.nested as Dict).c = undefined),
      (o) => delete (o.nested as Dict).b,
      (o) => (o.map as Map<string, number>).set('k', 2),
      (o) => (o.set as Set<number>).add(2),
      (o) => (o.date as Date).setTime(1),
      (o) => (o.list as number[]).push(3),
      (o) => (o.self = { ...o }),
      (o) => Object.setPrototypeOf(o.nested, null),
      (o) => Object.defineProperty(o, Symbol('s'), { value: 1 }),
      (o) => Object.freeze(o.nested),
    ]
    expect(() => checkUnchanged(snapshot(make()), snapshot(make()))).toThrow() // different objects
    for (const change of changes) {
      const o = make()
      const before = snapshot(o)
      checkUnchanged(before, snapshot(o))
      change(o)
      expect(() => checkUnchanged(before, snapshot(o)), String(change)).toThrow(/changed/)
    }
    const zero = { n: 0 }
    const before = snapshot(zero)
    zero.n = -0
    expect(() => checkUnchanged(before, snapshot(zero))).toThrow(/changed/)
  })

  it('the prototype check sees pollution', () => {
    const before = prototypeState()
    Object.defineProperty(Object.prototype, 'polluted', { value: 'yes', configurable: true })
    try {
      expect(() => checkPrototypes(before)).toThrow(/polluted/)
    } finally {
      delete (Object.prototype as Dict).polluted
    }
    checkPrototypes(before)
  })

  it('the command checker refuses what HubSpot would not take', () => {
    const bad: unknown[] = [
      ['setPath', 'relative'],
      ['trackPageView', {}],
      ['identify', { Email: 'a@b.co' }],
      ['identify', { email: 1 }],
      ['identify', { email: 'a@b.co', n: NaN }],
      ['identify', { email: 'a@b.co', o: {} }],
      ['trackCustomBehavioralEvent', { name: 'pe1_' + 'x'.repeat(50), properties: {} }],
      ['trackCustomBehavioralEvent', { name: 'order', properties: {} }],
      ['trackCustomBehavioralEvent', { name: 'pe1_x', properties: { s: 'x'.repeat(1025) } }],
      [
        'trackCustomBehavioralEvent',
        { name: 'pe1_x', properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])) },
      ],
      ['trackEvent', { id: '' }],
      ['trackEvent', { id: 'x', value: 'Infinity' }],
      ['trackEvent', { id: 'x', value: 12 }],
      ['trackCustomBehavioralEvent', { name: 'pe1_x', properties: { n: 0 } }],
      ['identify', { email: 'a@b.co', vip: false }],
      ['doNotTrack'],
    ]
    for (const command of bad) expect(() => checkCommand(command, null), show(command)).toThrow()
    checkCommand(['trackCustomBehavioralEvent', { name: 'pe1_x', properties: { a: 'b', n: '0', t: 'true' } }], '1')
    checkCommand(['trackEvent', { id: 'x', value: '12.5' }], '1')
  })
})
