// @vitest-environment jsdom
import type { Plugin } from '@segment/analytics-next'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { hubspot, hubspotForms, HubSpotSettingsError, VERSION } from '../src/browser'
import { SUCCESS_EVENT } from '../src/browser/forms'
import { FORM_ID, LEGACY_SUBMITTED, V4_VALUES } from './form-seeds'
import { arriveHubSpot, loadAnalytics, queued, recorder, resetPage } from './helpers'

type FormsWindow = Window & { HubSpotFormsV4?: unknown; __analyticsNextHubSpotForms?: unknown }
const win = () => window as FormsWindow
const errors: unknown[] = []
const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message)

beforeEach(() => {
  resetPage('/contact?src=ad')
  document.title = 'Contact us'
  delete win().HubSpotFormsV4
  delete win().__analyticsNextHubSpotForms
  errors.length = 0
  window.addEventListener('error', onError)
})
// Every copy of the plugin a test made stops listening, or it would take the next test's submissions.
const made: Plugin[] = []
afterEach(async () => {
  window.removeEventListener('error', onError)
  for (const plugin of made.splice(0)) await plugin.unload?.(undefined as never, undefined as never)
})

const NOT_TO_HUBSPOT = { HubSpot: false, 'HubSpot Web (Actions)': false, 'HubSpot Cloud Mode (Actions)': false }
const TRAITS = {
  email: 'alex@example.com',
  firstname: 'Alex',
  lastname: 'Rivera',
  company: 'Initech',
  interests: 'pricing;demo',
}
const TRACK = {
  form_id: FORM_ID,
  conversion_id: LEGACY_SUBMITTED.data.conversionId,
  page_url: 'http://localhost:3000/contact?src=ad',
  page_path: '/contact',
  page_title: 'Contact us',
}

/** A legacy form's message, as the browser delivers it from `origin`. */
function postLegacy(data: unknown = LEGACY_SUBMITTED, origin = window.location.origin): void {
  window.dispatchEvent(new MessageEvent('message', { data, origin, source: window }))
}

/** HubSpot's updated-editor embed: the forms API and the global success event. */
function submitV4(values: unknown = V4_VALUES, form: Record<string, unknown> = {}): void {
  win().HubSpotFormsV4 = {
    getFormFromEvent: () => ({
      getFormId: () => FORM_ID,
      getFormFieldValues: () => Promise.resolve(values),
      ...form,
    }),
  }
  window.dispatchEvent(new CustomEvent(SUCCESS_EVENT, { detail: { formId: FORM_ID, instanceId: 'i-1' } }))
}

/** The site's setup: HubSpot's destination, another tool, and the forms plugin (or the given plugins). */
async function site(...plugins: Plugin[]) {
  const other = recorder()
  if (!plugins.length) plugins.push(hubspotForms())
  made.push(...plugins)
  const analytics = await loadAnalytics([hubspot({ hubId: 123 }), other, ...plugins])
  return { analytics, other, calls: () => other.events.map((e) => [e.type, e.event ?? null]) }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('the hubspotForms plugin', () => {
  it('is a utility plugin named HubSpot Forms with the package version', () => {
    expect(hubspotForms()).toMatchObject({ name: 'HubSpot Forms', type: 'utility', version: VERSION })
  })

  it('checks its options at the factory call', () => {
    expect(() => hubspotForms({ fields: 'email' } as never)).toThrow(HubSpotSettingsError)
    expect(() => hubspotForms({ fields: 'email' } as never)).toThrow(/hubspotForms fields/)
  })
})

describe('a legacy form submission (hsFormCallback onFormSubmitted)', () => {
  it('reaches every other destination as identify then track, and HubSpot receives neither', async () => {
    const { other, calls } = await site()
    postLegacy()
    await vi.waitFor(() =>
      expect(calls()).toEqual([
        ['identify', null],
        ['track', 'Form Submitted'],
      ]),
    )
    expect(other.events[0]).toMatchObject({ traits: TRAITS, integrations: NOT_TO_HUBSPOT })
    expect(other.events[1]).toMatchObject({ properties: TRACK, integrations: NOT_TO_HUBSPOT })
    expect(queued()).toEqual([])
    // Nor later, once hubspot.js is there: the identify was never HubSpot's to see.
    expect(arriveHubSpot()).toEqual([])
  })

  it('the identify sets the visitor traits in analytics-next, as a site identify would', async () => {
    const { analytics, calls } = await site()
    postLegacy()
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
    expect(analytics.user().traits()).toMatchObject({ email: 'alex@example.com', firstname: 'Alex' })
  })

  it("is accepted from HubSpot's form hosts over https (a form in an iframe on hsforms.com)", async () => {
    const { calls } = await site()
    postLegacy(LEGACY_SUBMITTED, 'https://forms.hsforms.com')
    postLegacy({ ...LEGACY_SUBMITTED, id: 'other-form' }, 'https://share-eu1.hsforms.com')
    await vi.waitFor(() => expect(calls()).toHaveLength(4))
  })

  it('the same message from any other origin is ignored', async () => {
    const { other, calls } = await site()
    for (const origin of [
      'https://evil.example',
      'http://forms.hsforms.com',
      'https://hsforms.com.evil.example',
      'https://evilhsforms.com',
      'null',
      '',
    ]) {
      postLegacy({ ...LEGACY_SUBMITTED, id: `form-from-${origin.length}` }, origin)
    }
    postLegacy()
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
    await settle()
    expect(other.events.map((e) => (e.properties as { form_id?: string } | undefined)?.form_id ?? null)).toEqual([
      null,
      FORM_ID,
    ])
  })

  it('malformed data and huge payloads never throw and never forward', async () => {
    const { calls } = await site()
    const huge = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`f${i}`, 'x']))
    for (const data of [
      null,
      'hsFormCallback',
      { type: 'hsFormCallback', eventName: 'onFormSubmitted' },
      { ...LEGACY_SUBMITTED, data: null },
      { ...LEGACY_SUBMITTED, data: { submissionValues: 'email=a@example.com' } },
      { ...LEGACY_SUBMITTED, id: 'big', data: { submissionValues: huge } },
      { ...LEGACY_SUBMITTED, id: 'long', data: { submissionValues: { email: 'x'.repeat(1_000_000) } } },
      {
        get type(): string {
          throw new Error('a hostile getter')
        },
      },
    ]) {
      postLegacy(data)
    }
    postLegacy()
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
    await settle()
    expect(calls()).toHaveLength(2)
    expect(errors).toEqual([])
  })

  it('never forwards the value of a password input of the form in the page', async () => {
    document.body.innerHTML = `<form id="hsForm_${FORM_ID}" data-form-id="${FORM_ID}"><input type="password" name="member_code"></form>`
    const { other, calls } = await site(hubspotForms({ fields: ['email', 'member_code'] }))
    const values = { ...LEGACY_SUBMITTED.data.submissionValues, member_code: 'hunter2' }
    postLegacy({ ...LEGACY_SUBMITTED, data: { submissionValues: values } })
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
    expect(other.events[0].traits).toEqual({ email: 'alex@example.com' })
  })
})

describe('an updated-editor form submission (hs-form-event:on-submission:success)', () => {
  it('reaches every other destination with the values of getFormFieldValues(), and HubSpot receives neither', async () => {
    const { other, calls } = await site()
    submitV4()
    await vi.waitFor(() =>
      expect(calls()).toEqual([
        ['identify', null],
        ['track', 'Form Submitted'],
      ]),
    )
    expect(other.events[0]).toMatchObject({
      traits: { email: 'alex@example.com', firstname: 'Alex', company: 'Initech', interests: ['pricing', 'demo'] },
      integrations: NOT_TO_HUBSPOT,
    })
    expect(other.events[1].properties).toEqual({ ...TRACK, conversion_id: undefined })
    expect(queued()).toEqual([])
  })

  it('without the forms API (or values that fail), only the track goes out, with the form id of the event', async () => {
    const { other, calls } = await site()
    window.dispatchEvent(new CustomEvent(SUCCESS_EVENT, { detail: { formId: FORM_ID, instanceId: 'i-1' } }))
    await vi.waitFor(() => expect(calls()).toEqual([['track', 'Form Submitted']]))
    expect(other.events[0].properties).toMatchObject({ form_id: FORM_ID })
  })

  it('malformed values forward nothing, and a legacy message of the same submission still can', async () => {
    const { calls } = await site()
    submitV4('not a list')
    await settle()
    expect(calls()).toEqual([])
    postLegacy()
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
  })

  it('a form that throws from every method never breaks the page', async () => {
    const { calls } = await site()
    const boom = () => {
      throw new Error('form API failure')
    }
    submitV4(V4_VALUES, { getFormId: boom, getConversionId: boom, getFormFieldValues: boom })
    await vi.waitFor(() => expect(calls()).toEqual([['track', 'Form Submitted']]))
    expect(errors).toEqual([])
  })
})

describe('each submission is handled once', () => {
  it('when a form emits both the legacy message and the global event, in either order', async () => {
    const { calls } = await site()
    postLegacy()
    submitV4()
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
    resetLedger()
    submitV4()
    postLegacy()
    await vi.waitFor(() => expect(calls()).toHaveLength(4))
    await settle()
    expect(calls()).toHaveLength(4)
  })

  it('when the plugin is registered twice, or two copies of it are', async () => {
    const forms = hubspotForms()
    const { analytics, calls } = await site(forms, hubspotForms())
    await analytics.register(forms)
    postLegacy()
    submitV4()
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
    await settle()
    expect(calls()).toHaveLength(2)
  })

  it('two different forms submitted one after the other are two submissions', async () => {
    const { calls } = await site()
    postLegacy()
    postLegacy({ ...LEGACY_SUBMITTED, id: 'newsletter-form' })
    await vi.waitFor(() => expect(calls()).toHaveLength(4))
  })
})

describe('HubSpot destinations by every name skip these calls', () => {
  it("Segment's HubSpot Web (Actions) and HubSpot Cloud Mode (Actions) too, by name", async () => {
    const actions = { ...recorder(), name: 'HubSpot Web (Actions)' }
    const cloud = { ...recorder(), name: 'HubSpot Cloud Mode (Actions)' }
    const { calls } = await site(hubspotForms(), actions, cloud)
    postLegacy()
    await vi.waitFor(() => expect(calls()).toHaveLength(2))
    expect([...actions.events, ...cloud.events]).toEqual([])
  })
})

describe('unload', () => {
  it('removes both listeners', async () => {
    const added = vi.spyOn(window, 'addEventListener')
    const removed = vi.spyOn(window, 'removeEventListener')
    const { analytics } = await site()
    const listeners = added.mock.calls.filter(([type]) => type === 'message' || type === SUCCESS_EVENT)
    expect(listeners.map(([type]) => type)).toEqual(['message', SUCCESS_EVENT])
    await analytics.deregister('HubSpot Forms')
    for (const [type, listener] of listeners) expect(removed).toHaveBeenCalledWith(type, listener)
  })
})

function resetLedger() {
  delete win().__analyticsNextHubSpotForms
}
