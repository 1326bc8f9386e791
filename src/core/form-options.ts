import { DEV } from './dev'
import { HubSpotSettingsError } from './errors'
import { flag, resolve, type Check, type Table } from './options'
import { isObject, trim } from './traits'
import type { Dict } from './types'

export interface HubSpotFormsOptions {
  /** Name of the track call for each submission. Default `'Form Submitted'`. */
  event?: string
  /** Identify the visitor with the submitted email and fields. Default `true`. */
  identify?: boolean
  /** Only these fields are forwarded (HubSpot names: `'email'` or `'0-1/email'`). Default: every field. */
  fields?: string[]
  /** Fields never forwarded, on top of the built-in sensitive ones (passwords, card numbers, …). */
  exclude?: string[]
  /** Form id (GUID) → a name for `form_name`: HubSpot's events carry only the id. */
  formNames?: Record<string, string>
}

export interface ResolvedFormsOptions {
  readonly event: string
  readonly identify: boolean
  /** Canonical field names (lower case, no `0-1/`); null forwards every field. */
  readonly fields: readonly string[] | null
  readonly exclude: readonly string[]
  readonly formNames: Readonly<Record<string, string>>
}

/** A contact property as HubSpot forms name it: bare (legacy forms) or with the contact type id (updated editor). */
export const FIELD_NAME = /^(?:0-1\/)?([a-z][a-z0-9_]*)$/i
const NAME_LIMIT = 100
const README_SECTION = 'hubspot-forms-for-every-other-destination-hubspotforms'

/** `email`, `Email` and `0-1/email` are the same contact property. */
export function canonicalField(name: string): string | null {
  const match = name.length <= NAME_LIMIT ? FIELD_NAME.exec(name) : null
  return match ? match[1].toLowerCase() : null
}

/** Trimmed text of 1 to 200 characters. */
const shortText = (v: unknown): string | null => {
  const text = typeof v === 'string' ? trim(v) : ''
  return text && text.length <= 200 ? text : null
}

const fieldList: Check = (v, refuse) => {
  if (!Array.isArray(v)) return refuse()
  const names = v.map((item) => (typeof item === 'string' ? canonicalField(trim(item)) : null))
  const bad = names.indexOf(null)
  return bad < 0 ? Object.freeze([...new Set(names)]) : refuse(v[bad])
}

const formNames: Check = (v, refuse) => {
  if (!isObject(v)) return refuse()
  const names = Object.create(null) as Record<string, string>
  for (const id of Object.keys(v)) {
    if (!/^[\w-]{1,100}$/.test(id)) return refuse(id)
    const name = v[id]
    names[id.toLowerCase()] = (typeof name === 'string' && name.length <= 200 && shortText(name)) || refuse(name)
  }
  return Object.freeze(names)
}

const OPTIONS: Table = {
  event: ['Form Submitted', (v, refuse) => shortText(v) ?? refuse()],
  identify: [true, flag],
  fields: [null, fieldList],
  exclude: [Object.freeze([]), fieldList],
  formNames: [Object.freeze({}), formNames],
}

/** What each refusal says it expected; production builds link README's hubspotForms section instead. */
const EXPECTED: Dict = DEV
  ? {
      options: "an object such as { event: 'Form Submitted' }, or nothing",
      event: "an event name of 1 to 200 characters, e.g. 'Form Submitted'",
      identify: 'true (default) or false',
      fields: `an array of HubSpot field names, e.g. ['email', 'firstname'] or ['0-1/email']`,
      exclude: `an array of HubSpot field names, e.g. ['email', 'firstname'] or ['0-1/email']`,
      formNames: "form id → name, e.g. { 'a1b2c3d4-…': 'Contact us' }",
    }
  : {}

function refuse(key: string, shown: unknown, known?: string[]): HubSpotSettingsError {
  const unknown = DEV ? `no such option (known: ${known?.join(', ')})` : ''
  return new HubSpotSettingsError(
    `hubspotForms ${key}`,
    shown,
    known ? unknown : (EXPECTED[key] as string),
    README_SECTION,
  )
}

export function parseFormsOptions(input: unknown = {}): ResolvedFormsOptions {
  if (!isObject(input)) throw refuse('options', input)
  return Object.freeze(resolve(input, OPTIONS, refuse)) as unknown as ResolvedFormsOptions
}
