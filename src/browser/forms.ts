import type { Analytics, Plugin } from '@segment/analytics-next'
import { parseFormsOptions, type HubSpotFormsOptions } from '../core/form-options'
import {
  claim,
  forget,
  idOf,
  legacySubmission,
  submissionCalls,
  v4Submission,
  type Handled,
  type PageInfo,
  type Submission,
} from '../core/forms'
import { isObject } from '../core/traits'
import { VERSION } from '../core/version'

export type { HubSpotFormsOptions } from '../core/form-options'

/** The global form event of HubSpot's updated forms editor for a successful submission. */
export const SUCCESS_EVENT = 'hs-form-event:on-submission:success'
/** How long an updated-editor form may take to give its field values. */
export const VALUES_TIMEOUT_MS = 3_000

/**
 * HubSpot already has the submission: its destinations (this package's, and Segment's classic,
 * Web Actions and Cloud Mode Actions ones) skip these calls; every other destination gets them.
 */
const notToHubSpot = () => ({
  integrations: { HubSpot: false, 'HubSpot Web (Actions)': false, 'HubSpot Cloud Mode (Actions)': false },
})
// HubSpot's form hosts (forms.hsforms.com, share.hsforms.com, js.hsforms.net and their EU twins).
const FORM_HOST = /(^|\.)hsforms\.(com|net)$/

interface V4Form {
  getFormId?: () => unknown
  getConversionId?: () => unknown
  getFormFieldValues?: () => unknown
}

type FormsWindow = Window & {
  HubSpotFormsV4?: { getFormFromEvent?: (event: Event) => unknown }
  /** Shared by every copy of the plugin on the page, so that a submission is handled once. */
  __analyticsNextHubSpotForms?: { handled: Handled[] }
}

/**
 * Legacy form messages are trusted from the page's own origin (a form rendered in the page, or in
 * HubSpot's source-less frame, which has the page's origin) and from HubSpot's form hosts over https.
 */
export function trustedOrigin(origin: string, own: string): boolean {
  if (origin === own) return origin !== 'null'
  try {
    const url = new URL(origin)
    return url.protocol === 'https:' && url.origin === origin && FORM_HOST.test(url.hostname)
  } catch {
    return false
  }
}

/** Names of the password inputs of a form rendered in the page (a form in a cross-origin frame has none here). */
function passwordFields(doc: Document, formId: string): string[] {
  const inputs = doc.querySelectorAll<HTMLInputElement>(
    `[data-form-id="${formId}" i] input[type="password" i], [id="hsForm_${formId}" i] input[type="password" i]`,
  )
  return Array.from(inputs, (input) => input.name)
}

const pageInfo = (win: Window): PageInfo => ({
  url: win.location.href.split('#')[0],
  path: win.location.pathname,
  title: win.document.title,
})

/** A method's result, or undefined when the object has no such method or it throws. */
function attempt(target: V4Form | null, method: keyof V4Form): unknown {
  try {
    const fn = target?.[method]
    return typeof fn === 'function' ? fn.call(target) : undefined
  } catch {
    return undefined
  }
}

/** The values of an updated-editor form, or null when it has none to give in time. */
function fieldValues(form: V4Form | null): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), VALUES_TIMEOUT_MS)))
  return Promise.race([Promise.resolve(attempt(form, 'getFormFieldValues')), timeout])
    .catch(() => null)
    .finally(() => clearTimeout(timer))
}

/** The page-wide ledger of handled submissions, shared by every copy of the plugin. */
function pageLedger(win: FormsWindow) {
  const shared = () => (win.__analyticsNextHubSpotForms ||= { handled: [] })
  return {
    /** Claims a submission for this page at `at`: false when it was handled already. */
    fresh(key: Pick<Submission, 'formId' | 'conversionId'>, at: number): boolean {
      const result = claim(shared().handled, key, at)
      shared().handled = result.ledger
      return !result.repeat
    },
    release(formId: string, at: number): void {
      shared().handled = forget(shared().handled, formId, at)
    },
  }
}

type Ledger = ReturnType<typeof pageLedger>
type Dispatch = (submission: Submission) => void

/** The `message` listener: legacy forms' `hsFormCallback` messages from trusted origins. */
function legacyListener(win: FormsWindow, ledger: Ledger, dispatch: Dispatch) {
  return (event: MessageEvent) => {
    try {
      if (!trustedOrigin(event.origin, win.location.origin)) return
      const submission = legacySubmission(event.data)
      if (submission && ledger.fresh(submission, Date.now())) dispatch(submission)
    } catch {
      // A message is anyone's to send: nothing in it may break the page.
    }
  }
}

/** The listener of the updated editor's success event: the form's values through HubSpotFormsV4. */
function v4Listener(win: FormsWindow, ledger: Ledger, dispatch: Dispatch) {
  return (event: Event) => {
    try {
      const detail: unknown = (event as CustomEvent<unknown>).detail
      const api = win.HubSpotFormsV4
      const found = typeof api?.getFormFromEvent === 'function' ? api.getFormFromEvent(event) : null
      const form = isObject(found) ? (found as V4Form) : null
      const formId = idOf(isObject(detail) ? detail.formId : undefined) ?? idOf(attempt(form, 'getFormId'))
      const conversionId = idOf(attempt(form, 'getConversionId'))
      const at = Date.now()
      // Claimed at once, before the values arrive, so that a legacy message of the same form is a repeat.
      if (!formId || !ledger.fresh({ formId, conversionId }, at)) return
      void fieldValues(form).then((values) => {
        const submission = v4Submission(formId, values ?? [], conversionId)
        if (submission) dispatch(submission)
        else ledger.release(formId, at)
      })
    } catch {
      // As for messages: a page's own events may carry anything.
    }
  }
}

/** Both listeners, over one ledger. */
function pageListeners(win: FormsWindow, dispatch: Dispatch) {
  const ledger = pageLedger(win)
  return { message: legacyListener(win, ledger, dispatch), success: v4Listener(win, ledger, dispatch) }
}

/**
 * Turns every successful HubSpot form submission on the page, from legacy forms (`hsFormCallback`
 * messages) and forms of HubSpot's updated editor (global form events), into an identify (when
 * the submission has a valid email) and a track, for every destination but HubSpot's.
 */
export function hubspotForms(options?: HubSpotFormsOptions): Plugin {
  const config = parseFormsOptions(options)
  const win = (typeof window === 'undefined' ? undefined : window) as FormsWindow | undefined
  let analytics: Analytics | null = null
  let listening = false

  const forward = async (submission: Submission) => {
    const target = analytics
    if (!target || !win) return
    const calls = submissionCalls(submission, config, pageInfo(win), passwordFields(win.document, submission.formId))
    if (calls.traits) await target.identify(calls.traits, notToHubSpot())
    await target.track(calls.event, calls.properties, notToHubSpot())
  }
  // A failing destination is analytics-next's to report; the page never sees an error from here.
  const dispatch = (submission: Submission) => void forward(submission).catch(() => undefined)
  const listeners = win && pageListeners(win, dispatch)

  const listen = (on: boolean) => {
    if (!win || !listeners || listening === on) return
    if (on) {
      win.addEventListener('message', listeners.message)
      win.addEventListener(SUCCESS_EVENT, listeners.success)
    } else {
      win.removeEventListener('message', listeners.message)
      win.removeEventListener(SUCCESS_EVENT, listeners.success)
    }
    listening = on
  }

  return {
    name: 'HubSpot Forms',
    type: 'utility',
    version: VERSION,
    isLoaded: () => listening,
    load(_ctx, instance: Analytics) {
      analytics = instance
      listen(true)
      return Promise.resolve()
    },
    unload() {
      listen(false)
      analytics = null
    },
  }
}
