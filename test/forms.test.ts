// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { HubSpotSettingsError } from '../src/core/errors'
import { parseFormsOptions, type HubSpotFormsOptions } from '../src/core/form-options'
import {
  claim,
  forget,
  FORM_LIMITS,
  legacySubmission,
  REPEAT_MS,
  submissionCalls,
  v4Submission,
  type Submission,
} from '../src/core/forms'
import { LEGACY_SUBMITTED, FORM_ID, PAGE, V4_VALUES } from './form-seeds'

const defaults = parseFormsOptions()
const legacy = (data: unknown = LEGACY_SUBMITTED.data, extra: Record<string, unknown> = {}) =>
  legacySubmission({ ...LEGACY_SUBMITTED, data, ...extra })
const calls = (submission: Submission | null, options: HubSpotFormsOptions = {}, passwords: string[] = []) =>
  submissionCalls(submission!, parseFormsOptions(options), PAGE, passwords)

/** Asserts the options are refused with an error naming the option, showing the value and the expected form. */
function expectRefused(options: unknown, option: string, shown: string, expected: RegExp): void {
  let error: unknown
  try {
    parseFormsOptions(options)
  } catch (e) {
    error = e
  }
  expect(error).toBeInstanceOf(HubSpotSettingsError)
  const message = (error as Error).message
  expect(message).toContain(`\`hubspotForms ${option}\``)
  expect(message).toContain(shown)
  expect(message).toMatch(expected)
}

describe('hubspotForms options', () => {
  it("default to the track 'Form Submitted', identify on, every field, no extra exclusions, frozen", () => {
    expect(defaults).toEqual({ event: 'Form Submitted', identify: true, fields: null, exclude: [], formNames: {} })
    expect(Object.isFrozen(defaults)).toBe(true)
  })

  it('take field names bare or with the contact type id, in any case, as one canonical name', () => {
    const options = parseFormsOptions({ fields: ['0-1/Email', ' firstname ', 'email'], exclude: ['0-1/phone'] })
    expect(options.fields).toEqual(['email', 'firstname'])
    expect(options.exclude).toEqual(['phone'])
    expect(Object.isFrozen(options.fields)).toBe(true)
  })

  it('refuse what cannot work, naming the option, the value and the expected form', () => {
    expectRefused('x', 'options', '"x"', /an object/)
    expectRefused({ events: 'x' }, 'events', '"x"', /no such option \(known: event, identify, fields, exclude/)
    expectRefused({ event: '  ' }, 'event', '"  "', /1 to 200 characters/)
    expectRefused({ event: 42 }, 'event', '42', /event name/)
    expectRefused({ identify: 'yes' }, 'identify', '"yes"', /true \(default\) or false/)
    expectRefused({ fields: 'email' }, 'fields', '"email"', /array of HubSpot field names/)
    expectRefused({ fields: ['email', '0-2/name'] }, 'fields', '"0-2/name"', /\['email', 'firstname'\]/)
    expectRefused({ exclude: ['first name'] }, 'exclude', '"first name"', /array of HubSpot field names/)
    expectRefused({ formNames: { 'a b': 'x' } }, 'formNames', '"a b"', /form id → name/)
    expectRefused({ formNames: { abc: '' } }, 'formNames', '""', /form id → name/)
  })
})

describe('legacy form messages (hsFormCallback)', () => {
  it('onFormSubmitted becomes a submission of its submissionValues, form id in lower case', () => {
    expect(legacy()).toEqual({
      kind: 'legacy',
      formId: FORM_ID,
      conversionId: LEGACY_SUBMITTED.data.conversionId,
      fields: Object.entries(LEGACY_SUBMITTED.data.submissionValues).map(([name, value]) => ({ name, value })),
    })
    expect(legacy(undefined, { id: FORM_ID.toUpperCase() })?.formId).toBe(FORM_ID)
  })

  it('takes data.formGuid when the message has no id', () => {
    expect(legacy({ ...LEGACY_SUBMITTED.data, formGuid: FORM_ID }, { id: undefined })?.formId).toBe(FORM_ID)
  })

  it('every other event (onFormReady, onBeforeFormSubmit, onFormSubmit) is not a success and is ignored', () => {
    for (const eventName of ['onBeforeFormInit', 'onFormReady', 'onBeforeFormSubmit', 'onFormSubmit']) {
      expect(legacy([{ name: 'email', value: 'a@example.com' }], { eventName })).toBeNull()
    }
  })

  it('malformed messages are ignored: wrong type, no id, data or submissionValues not objects', () => {
    for (const message of [null, 'hsFormCallback', [], { ...LEGACY_SUBMITTED, type: 'other' }]) {
      expect(legacySubmission(message)).toBeNull()
    }
    expect(legacy(undefined, { id: 'not an id' })).toBeNull()
    expect(legacy(undefined, { id: 42 })).toBeNull()
    expect(legacy(null)).toBeNull()
    expect(legacy({ submissionValues: [['email', 'a@example.com']] })).toBeNull()
    expect(legacy({ submissionValues: 'email=a@example.com' })).toBeNull()
  })
})

describe('updated-editor forms (global form events)', () => {
  it('getFormFieldValues() entries become the fields', () => {
    expect(v4Submission(FORM_ID, V4_VALUES, null)).toEqual({
      kind: 'v4',
      formId: FORM_ID,
      conversionId: null,
      fields: V4_VALUES,
    })
  })

  it('malformed values are refused whole: not an array, an entry without a string name', () => {
    expect(v4Submission(FORM_ID, { '0-1/email': 'a@example.com' }, null)).toBeNull()
    expect(v4Submission(FORM_ID, [...V4_VALUES, 'email'], null)).toBeNull()
    expect(v4Submission(FORM_ID, [{ name: 1, value: 'x' }], null)).toBeNull()
    expect(v4Submission('<script>', V4_VALUES, null)).toBeNull()
  })
})

describe('size bounds: a payload no HubSpot form sends is refused whole', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, value: 'x' }))

  it(`more than ${FORM_LIMITS.fields} fields`, () => {
    expect(v4Submission(FORM_ID, many(FORM_LIMITS.fields), null)).not.toBeNull()
    expect(v4Submission(FORM_ID, many(FORM_LIMITS.fields + 1), null)).toBeNull()
    const values = Object.fromEntries(many(FORM_LIMITS.fields + 1).map((f) => [f.name, f.value]))
    expect(legacy({ submissionValues: values })).toBeNull()
  })

  it(`a value longer than ${FORM_LIMITS.value} characters, HubSpot's limit, or a list of more than ${FORM_LIMITS.items}`, () => {
    expect(v4Submission(FORM_ID, [{ name: 'message', value: 'x'.repeat(FORM_LIMITS.value) }], null)).not.toBeNull()
    expect(v4Submission(FORM_ID, [{ name: 'message', value: 'x'.repeat(FORM_LIMITS.value + 1) }], null)).toBeNull()
    expect(v4Submission(FORM_ID, [{ name: 'tags', value: Array(FORM_LIMITS.items + 1).fill('a') }], null)).toBeNull()
    expect(v4Submission(FORM_ID, [{ name: 'tags', value: ['x'.repeat(FORM_LIMITS.value + 1)] }], null)).toBeNull()
  })

  it(`more than ${FORM_LIMITS.total} characters in all`, () => {
    const big = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `m${i}`, value: 'x'.repeat(60_000) }))
    expect(v4Submission(FORM_ID, big(4), null)).not.toBeNull()
    expect(v4Submission(FORM_ID, big(5), null)).toBeNull()
  })
})

describe('what a submission becomes', () => {
  it('identify with the valid email and the other contact fields, named as HubSpot names them, values trimmed', () => {
    expect(calls(legacy()).traits).toEqual({
      email: 'alex@example.com',
      firstname: 'Alex',
      lastname: 'Rivera',
      company: 'Initech',
      interests: 'pricing;demo',
    })
  })

  it('the updated editor gives the same traits: the contact type id 0-1/ is dropped, lists stay lists', () => {
    expect(calls(v4Submission(FORM_ID, V4_VALUES, null)).traits).toEqual({
      email: 'alex@example.com',
      firstname: 'Alex',
      company: 'Initech',
      interests: ['pricing', 'demo'],
    })
  })

  it('track of the default event with form_id, conversion_id and the page', () => {
    const result = calls(legacy())
    expect(result.event).toBe('Form Submitted')
    expect(result.properties).toEqual({
      form_id: FORM_ID,
      conversion_id: LEGACY_SUBMITTED.data.conversionId,
      page_url: PAGE.url,
      page_path: PAGE.path,
      page_title: PAGE.title,
    })
  })

  it('form_name from formNames, the event from event', () => {
    const result = calls(legacy(), { event: 'Lead Captured', formNames: { [FORM_ID.toUpperCase()]: 'Contact us' } })
    expect(result.event).toBe('Lead Captured')
    expect(result.properties).toMatchObject({ form_id: FORM_ID, form_name: 'Contact us' })
  })

  it('field values never go into the track properties', () => {
    expect(JSON.stringify(calls(legacy()).properties)).not.toMatch(/alex|Initech|pricing/i)
  })

  it('no identify without a valid email: missing, invalid, or a placeholder without a domain', () => {
    for (const email of [undefined, 'not-an-email', 'alex@localhost', '']) {
      const values = { ...LEGACY_SUBMITTED.data.submissionValues, email }
      expect(calls(legacy({ submissionValues: values })).traits).toBeNull()
      expect(calls(legacy({ submissionValues: values })).properties.form_id).toBe(FORM_ID)
    }
  })

  it('identify: false sends only the track', () => {
    expect(calls(legacy(), { identify: false }).traits).toBeNull()
  })

  it('fields: only the listed fields are forwarded; without email in the list, no identify', () => {
    expect(calls(legacy(), { fields: ['email', 'firstname'] }).traits).toEqual({
      email: 'alex@example.com',
      firstname: 'Alex',
    })
    expect(calls(legacy(), { fields: ['firstname'] }).traits).toBeNull()
    expect(calls(legacy(), { fields: [] }).traits).toBeNull()
  })

  it('exclude: the listed fields are never forwarded', () => {
    expect(calls(legacy(), { exclude: ['company', '0-1/interests'] }).traits).toEqual({
      email: 'alex@example.com',
      firstname: 'Alex',
      lastname: 'Rivera',
    })
  })

  it('fields that read as secrets are never forwarded, even when listed in fields', () => {
    const secrets = ['password', 'confirm_password', 'pwd', 'api_key', 'credit_card_number', 'card_cvc', 'ssn', 'otp']
    const values = [...V4_VALUES, ...secrets.map((name) => ({ name: `0-1/${name}`, value: 'hunter2' }))]
    const everything = ['email', ...secrets]
    for (const options of [{}, { fields: everything }]) {
      expect(JSON.stringify(calls(v4Submission(FORM_ID, values, null), options).traits)).not.toContain('hunter2')
    }
  })

  it('never a value of a password-type field, whatever its name', () => {
    const values = [...V4_VALUES, { name: '0-1/member_code', value: 'hunter2' }]
    const result = calls(v4Submission(FORM_ID, values, null), { fields: ['email', 'member_code'] }, ['member_code'])
    expect(result.traits).toEqual({ email: 'alex@example.com' })
  })

  it("fields of other objects (0-2/ company, …), HubSpot's hidden hs_context and malformed names are left out", () => {
    const values = [
      ...V4_VALUES,
      { name: '0-2/name', value: 'Initech Corp' },
      { name: '0-5/subject', value: 'help' },
      { name: 'hs_context', value: '{"pageUrl":"x"}' },
      { name: '__proto__', value: 'x' },
      { name: 'first name', value: 'x' },
    ]
    expect(Object.keys(calls(v4Submission(FORM_ID, values, null)).traits!)).toEqual([
      'email',
      'firstname',
      'company',
      'interests',
    ])
  })

  it('empty, null, object and non-finite values are left out', () => {
    const values = [
      { name: 'email', value: 'alex@example.com' },
      { name: 'phone', value: '  ' },
      { name: 'city', value: null },
      { name: 'address', value: { street: 'x' } },
      { name: 'score', value: Number.NaN },
      { name: 'employees', value: 12 },
      { name: 'subscribed', value: false },
    ]
    expect(calls(v4Submission(FORM_ID, values, null)).traits).toEqual({
      email: 'alex@example.com',
      employees: 12,
      subscribed: false,
    })
  })
})

describe('each submission is handled once', () => {
  const key = { formId: FORM_ID, conversionId: null }

  it(`a second report of the same form within ${REPEAT_MS} ms is a repeat, a later one is not`, () => {
    const first = claim([], key, 1_000)
    expect(first.repeat).toBe(false)
    expect(claim(first.ledger, key, 1_000 + REPEAT_MS - 1).repeat).toBe(true)
    expect(claim(first.ledger, key, 1_000 + REPEAT_MS).repeat).toBe(false)
  })

  it('another form is not a repeat; nor is the same form with another conversion id', () => {
    const { ledger } = claim([], { formId: FORM_ID, conversionId: 'c1' }, 0)
    expect(claim(ledger, { formId: 'other-form', conversionId: null }, 1).repeat).toBe(false)
    expect(claim(ledger, { formId: FORM_ID, conversionId: 'c2' }, 1).repeat).toBe(false)
    expect(claim(ledger, { formId: FORM_ID, conversionId: 'c1' }, 1).repeat).toBe(true)
    expect(claim(ledger, key, 1).repeat).toBe(true)
  })

  it('forget takes a claim back, so that a later report can be forwarded', () => {
    const { ledger } = claim([], key, 5)
    expect(claim(forget(ledger, FORM_ID, 5), key, 6).repeat).toBe(false)
  })

  it('the ledger stays small on a busy page', () => {
    let ledger = claim([], key, 0).ledger
    for (let i = 0; i < 500; i++) ledger = claim(ledger, { formId: `form-${i}`, conversionId: null }, i).ledger
    expect(ledger.length).toBeLessThanOrEqual(50)
  })
})
