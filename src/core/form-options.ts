import { HubSpotSettingsError } from './errors'
import { isObject, trim } from './traits'

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

const KNOWN = ['event', 'identify', 'fields', 'exclude', 'formNames']
/** A contact property as HubSpot forms name it: bare (legacy forms) or with the contact type id (updated editor). */
export const FIELD_NAME = /^(?:0-1\/)?([a-z][a-z0-9_]*)$/i
const NAME_LIMIT = 100
const label = (option: string) => `hubspotForms ${option}`

/** `email`, `Email` and `0-1/email` are the same contact property. */
export function canonicalField(name: string): string | null {
  const match = name.length <= NAME_LIMIT ? FIELD_NAME.exec(name) : null
  return match ? match[1].toLowerCase() : null
}

export function parseFormsOptions(input: unknown = {}): ResolvedFormsOptions {
  if (!isObject(input)) {
    throw new HubSpotSettingsError(label('options'), input, "an object such as { event: 'Form Submitted' }, or nothing")
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN.includes(key)) {
      throw new HubSpotSettingsError(label(key), input[key], `no such option (known: ${KNOWN.join(', ')})`)
    }
  }
  return Object.freeze({
    event: parseEvent(input.event),
    identify: parseFlag(input.identify),
    fields: input.fields === undefined ? null : parseFieldList('fields', input.fields),
    exclude: input.exclude === undefined ? Object.freeze([]) : parseFieldList('exclude', input.exclude),
    formNames: parseFormNames(input.formNames),
  })
}

function parseEvent(value: unknown): string {
  if (value === undefined) return 'Form Submitted'
  const name = typeof value === 'string' ? trim(value) : ''
  if (name === '' || name.length > 200) {
    throw new HubSpotSettingsError(label('event'), value, "an event name of 1 to 200 characters, e.g. 'Form Submitted'")
  }
  return name
}

function parseFlag(value: unknown): boolean {
  if (value === undefined) return true
  if (typeof value !== 'boolean') throw new HubSpotSettingsError(label('identify'), value, 'true (default) or false')
  return value
}

function parseFieldList(option: 'fields' | 'exclude', value: unknown): readonly string[] {
  const items: unknown[] | null = Array.isArray(value) ? value : null
  const names = items?.map((v) => (typeof v === 'string' ? canonicalField(trim(v)) : null))
  if (!names || names.includes(null)) {
    const bad = items ? items.find((_v, i) => names?.[i] === null) : value
    throw new HubSpotSettingsError(
      label(option),
      bad,
      `an array of HubSpot field names, e.g. ['email', 'firstname'] or ['0-1/email']`,
    )
  }
  return Object.freeze([...new Set(names as string[])])
}

function parseFormNames(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return Object.freeze({})
  const fail = (bad: unknown) =>
    new HubSpotSettingsError(label('formNames'), bad, "form id → name, e.g. { 'a1b2c3d4-…': 'Contact us' }")
  if (!isObject(value)) throw fail(value)
  const names: Record<string, string> = Object.create(null) as Record<string, string>
  for (const id of Object.keys(value)) {
    const name = value[id]
    if (!/^[\w-]{1,100}$/.test(id)) throw fail(id)
    if (typeof name !== 'string' || trim(name) === '' || name.length > 200) throw fail(name)
    names[id.toLowerCase()] = trim(name)
  }
  return Object.freeze(names)
}
