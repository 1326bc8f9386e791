import { DEV } from '../core/dev'
import type { ResolvedSettings } from '../core/device/settings'
import { hasScript, injectScript, LOADER_ID } from './loader'
import { isHubSpotReady, type HubSpotWindow } from './queue'

/** How long hubspot.js may take to start before the site is told, and `ready()` stops waiting. */
export const LOAD_TIMEOUT_MS = 10_000
/** How often `ready()` looks whether hubspot.js has taken over `_hsq` (HubSpot's loader adds the tracker itself). */
export const POLL_MS = 50

type FormsWindow = HubSpotWindow & Window & { hbspt?: { forms?: unknown } }

export interface Loading {
  /** Looks out for hubspot.js taking over `_hsq` (the site's own embed may bring it before any request). */
  watch(): void
  /** Requests hubspot.js (and the forms SDK), once. */
  start(): void
  /** Resolves when HubSpot is usable, or when it will not be (blocked, failed, no consent, too slow). */
  ready(): Promise<void>
  /** HubSpot will not be loaded (disabled, no consent): `ready()` need not wait. */
  settle(): void
  unload(): void
}

const failed = (url: string) =>
  DEV
    ? `could not load ${url} (blocked by an ad blocker, a Content-Security-Policy or the network). ` +
      'Events wait in window._hsq and reach HubSpot only if it loads.'
    : `could not load ${url} (ad blocker, Content-Security-Policy or network)`

/** Adds hubspot.js (unless the page has HubSpot's tracking script already) and the forms SDK. */
function inject(
  doc: Document,
  config: ResolvedSettings,
  on: { fail: () => void; loaded: () => void },
): HTMLScriptElement[] {
  const added: HTMLScriptElement[] = []
  if (!hasScript(doc, config.scriptUrl, true)) {
    const script = injectScript(doc, config.scriptUrl, { id: LOADER_ID, nonce: config.scriptNonce })
    script.addEventListener('error', on.fail)
    // A copy of HubSpot's tracker runs from this script; HubSpot's own loader adds the tracker later (polled).
    script.addEventListener('load', on.loaded)
    added.push(script)
  }
  if (config.formsSdkUrl && !hasScript(doc, config.formsSdkUrl)) {
    added.push(injectScript(doc, config.formsSdkUrl, { nonce: config.scriptNonce }))
  }
  return added
}

/**
 * The loading part: injects the scripts (never a second copy of HubSpot's), watches for
 * hubspot.js taking over `_hsq`, and tells the site once when it is blocked or too slow.
 */
export function loading(
  win: FormsWindow,
  config: ResolvedSettings,
  hooks: { warn(message: string): void; loaded(): void },
): Loading {
  const added: HTMLScriptElement[] = []
  let started = false
  let done = false
  let resolve!: () => void
  const readiness = new Promise<void>((r) => (resolve = r))
  let poll: ReturnType<typeof setTimeout> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = () => (clearTimeout(poll), clearTimeout(timer))

  const usable = () => isHubSpotReady(win) && (!config.formsSdkUrl || !!win.hbspt?.forms)
  const settle = () => {
    if (done) return
    done = true
    stop()
    resolve()
  }
  const watch = () => {
    clearTimeout(poll)
    if (isHubSpotReady(win)) hooks.loaded()
    if (usable()) return settle()
    if (!done) poll = setTimeout(watch, POLL_MS)
  }
  const fail = () => {
    hooks.warn(failed(config.scriptUrl))
    settle()
  }

  // From the plugin's load, then again from the request: ready() never waits longer.
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (started && !isHubSpotReady(win))
        hooks.warn(
          `${config.scriptUrl} has not started after ${LOAD_TIMEOUT_MS / 1000} s${DEV ? '; events wait in window._hsq.' : ''}`,
        )
      settle()
    }, LOAD_TIMEOUT_MS)
  }
  arm()

  return {
    watch,
    start() {
      if (started) return
      started = true
      arm()
      added.push(...inject(win.document, config, { fail, loaded: watch }))
      watch()
    },
    ready: () => readiness,
    settle,
    unload() {
      stop()
      settle()
      for (const script of added.splice(0)) script.remove()
    },
  }
}
