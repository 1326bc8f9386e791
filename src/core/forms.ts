import { canonicalField, type ResolvedFormsOptions } from './form-options'
import { isObject, toEmail, trim } from './traits'
import type { Dict } from './types'

/** A legacy form's `hsFormCallback` message, or a form of HubSpot's updated editor (global form events). */
export type FormKind = 'legacy' | 'v4'

export interface FormField {
  readonly name: string
  readonly value: unknown
}

/** One successful submission, as HubSpot reported it, already checked against the size bounds. */
export interface Submission {
  readonly kind: FormKind
  readonly formId: string
  readonly conversionId: string | null
  readonly fields: readonly FormField[]
}

/** Where the visitor was when submitting. */
export interface PageInfo {
  readonly url: string
  readonly path: string
  readonly title: string
}

/** What a submission becomes: an identify (when `traits` is not null), then a track. */
export interface FormCalls {
  readonly traits: Dict | null
  readonly event: string
  readonly properties: Dict
}

/**
 * Bounds past which a payload is not a HubSpot form submission (HubSpot's own limits: 1,000 fields
 * through its API, 65,536 characters a property value): the whole payload is refused.
 */
export const FORM_LIMITS = Object.freeze({ fields: 200, value: 65_536, items: 200, total: 262_144 })

const FORM_ID = /^[\w-]{1,100}$/
// Words of a field name that say its value is a secret: never forwarded, whatever the options.
const SENSITIVE_WORD =
  /(^|_)(password|passwd|pwd|passcode|passphrase|secret|token|otp|pin|cvv|cvc|cvv2|ssn|iban|creditcard|cardnumber)(_|$)/
const SENSITIVE_PHRASE = /credit_?card|card_?(number|num|no)(_|$)|security_?code|social_?security|api_?key|tax_?id/
// HubSpot's own hidden values, not fields the visitor filled in.
const INTERNAL = ['hs_context', 'hutk']

/** A form id or conversion id (a GUID) as HubSpot reports it, in lower case; null for anything else. */
export const idOf = (value: unknown): string | null =>
  typeof value === 'string' && FORM_ID.test(value) ? value.toLowerCase() : null

/** True for a field name that reads as a secret (`password`, `card_number`, `ssn`, …). */
export const isSensitiveField = (name: string): boolean => SENSITIVE_WORD.test(name) || SENSITIVE_PHRASE.test(name)

/**
 * A legacy form's message `{ type: 'hsFormCallback', eventName: 'onFormSubmitted', id, data }`,
 * `data` holding `submissionValues` (field name → value): the only legacy event that means success.
 */
export function legacySubmission(message: unknown): Submission | null {
  if (!isObject(message) || message.type !== 'hsFormCallback' || message.eventName !== 'onFormSubmitted') return null
  const data = message.data
  if (!isObject(data) || !isObject(data.submissionValues)) return null
  const values = data.submissionValues
  const names = Object.keys(values)
  if (names.length > FORM_LIMITS.fields) return null
  const formId = idOf(message.id) ?? idOf(data.formGuid)
  return formId
    ? bounded(
        'legacy',
        formId,
        data.conversionId,
        names.map((name) => ({ name, value: values[name] })),
      )
    : null
}

/** An updated-editor form: its id and what `getFormFieldValues()` resolved to (`[{ name, value }]`). */
export function v4Submission(formId: unknown, values: unknown, conversionId: unknown): Submission | null {
  const id = idOf(formId)
  if (!id || !Array.isArray(values) || values.length > FORM_LIMITS.fields) return null
  const fields: FormField[] = []
  for (const item of values as unknown[]) {
    if (!isObject(item) || typeof item.name !== 'string') return null
    fields.push({ name: item.name, value: item.value })
  }
  return bounded('v4', id, conversionId, fields)
}

function bounded(kind: FormKind, formId: string, conversionId: unknown, fields: FormField[]): Submission | null {
  let total = 0
  for (const { name, value } of fields) {
    const size = sizeOf(value)
    if (size === null) return null
    total += name.length + size
    if (total > FORM_LIMITS.total) return null
  }
  return { kind, formId, conversionId: idOf(conversionId), fields }
}

function sizeOf(value: unknown): number | null {
  if (typeof value === 'string') return value.length <= FORM_LIMITS.value ? value.length : null
  if (!Array.isArray(value)) return 1
  if (value.length > FORM_LIMITS.items) return null
  let size = 0
  for (const item of value as unknown[]) {
    const itemSize = sizeOf(typeof item === 'string' ? item : 0)
    if (itemSize === null) return null
    size += itemSize
  }
  return size
}

type TraitValue = string | number | boolean | string[]

/** A field value as other tools take it: trimmed text, finite numbers, booleans, lists of text. */
function traitValue(value: unknown): TraitValue | undefined {
  if (typeof value === 'string') return trim(value) || undefined
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (!Array.isArray(value)) return undefined
  const items = (value as unknown[])
    .map((item) =>
      typeof item === 'string' ? trim(item) : typeof item === 'number' || typeof item === 'boolean' ? String(item) : '',
    )
    .filter(Boolean)
  return items.length ? items : undefined
}

/**
 * The contact properties a submission may forward, by HubSpot name: fields of other objects
 * (`0-2/…` company, …), secrets, password fields, excluded and not-allowed fields are left out.
 */
export function forwardedFields(
  submission: Submission,
  options: ResolvedFormsOptions,
  passwordFields: readonly string[] = [],
): Dict {
  const out: Dict = {}
  const passwords = passwordFields.map((name) => canonicalField(name))
  for (const field of submission.fields) {
    const name = canonicalField(field.name)
    if (name === null || INTERNAL.includes(name) || isSensitiveField(name) || passwords.includes(name)) continue
    if (options.exclude.includes(name) || (options.fields && !options.fields.includes(name))) continue
    const value = traitValue(field.value)
    if (value !== undefined) out[name] = value
  }
  return out
}

/** The identify traits (with a valid email only) and the track of one submission. */
export function submissionCalls(
  submission: Submission,
  options: ResolvedFormsOptions,
  page: PageInfo,
  passwordFields: readonly string[] = [],
): FormCalls {
  const fields = forwardedFields(submission, options, passwordFields)
  const email = toEmail(fields.email)
  const traits = options.identify && email ? { ...fields, email } : null
  const name = options.formNames[submission.formId]
  const properties: Dict = { form_id: submission.formId }
  if (name) properties.form_name = name
  if (submission.conversionId) properties.conversion_id = submission.conversionId
  Object.assign(properties, { page_url: page.url, page_path: page.path })
  if (page.title) properties.page_title = page.title
  return { traits, event: options.event, properties }
}

/** A submission handled on this page: a second report of it (the other kind, another copy of the plugin) is a repeat. */
export interface Handled {
  readonly formId: string
  readonly conversionId: string | null
  readonly at: number
}

/** How long after a submission another report of the same form counts as the same submission. */
export const REPEAT_MS = 5_000
const LEDGER_SIZE = 50

/**
 * Whether `submission` repeats one handled within REPEAT_MS before `now`, and the ledger to keep.
 * Two reports of one form are one submission unless both carry conversion ids and they differ.
 */
export function claim(
  ledger: readonly Handled[],
  submission: Pick<Submission, 'formId' | 'conversionId'>,
  now: number,
): { repeat: boolean; ledger: Handled[] } {
  const recent = ledger.filter((entry) => now - entry.at >= 0 && now - entry.at < REPEAT_MS)
  const repeat = recent.some(
    (entry) =>
      entry.formId === submission.formId &&
      (entry.conversionId === null ||
        submission.conversionId === null ||
        entry.conversionId === submission.conversionId),
  )
  if (repeat) return { repeat, ledger: recent }
  const entry = { formId: submission.formId, conversionId: submission.conversionId, at: now }
  return { repeat, ledger: [...recent, entry].slice(-LEDGER_SIZE) }
}

/** The ledger without the claim made at `at` for `formId`: nothing was forwarded, so a later report may be. */
export const forget = (ledger: readonly Handled[], formId: string, at: number): Handled[] =>
  ledger.filter((entry) => entry.formId !== formId || entry.at !== at)
