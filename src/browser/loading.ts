import { DEV } from '../core/dev'
import type { ResolvedSettings } from '../core/device/settings'
import { injectScript, LOADER_ID } from './loader'
import { isHubSpotReady, type HubSpotWindow } from './queue'

/** How long hubspot.js may take to start before the site is told, and `ready()` stops waiting. */
export const LOAD_TIMEOUT_MS = 10_000
/** How often `ready()` also looks whether hubspot.js has taken over `_hsq` (a tracker that ran before the plugin fires no load event it hears). */
export const POLL_MS = 50

type FormsWindow = HubSpotWindow & Window & { hbspt?: { forms?: unknown } }

export interface Loading {
  /** Looks out for hubspot.js taking over `_hsq` (the site's own embed may bring it before any request). */
  watch(): void
  /** Requests hubspot.js (and the forms SDK), once, unless settled for good. */
  start(): void
  /** `start` has requested hubspot.js. */
  started(): boolean
  /** Resolves when HubSpot is usable, or when it will not be (blocked, failed, no consent, too slow). */
  ready(): Promise<void>
  /** HubSpot will not be loaded (no consent; `forGood`: disabled): `ready()` need not wait. */
  settle(forGood?: boolean): void
  unload(): void
}

const failed = (url: string) =>
  DEV
    ? `could not load ${url} (blocked by an ad blocker, a Content-Security-Policy or the network). ` +
      'Events wait in window._hsq and reach HubSpot only if it loads.'
    : `could not load ${url} (ad blocker, Content-Security-Policy or network)`

/** Adds hubspot.js (unless the page has HubSpot's tracking script already) and the forms SDK. */
function inject(doc: Document, config: ResolvedSettings, fail: () => void) {
  const script = injectScript(doc, config.scriptUrl, config.scriptNonce, LOADER_ID)
  script?.addEventListener('error', fail)
  return [script, config.formsSdkUrl ? injectScript(doc, config.formsSdkUrl, config.scriptNonce) : null]
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
  const added: Array<HTMLScriptElement | null> = []
  let started = false
  let disabled = false
  let done = false
  let resolve!: () => void
  const readiness = new Promise<void>((r) => (resolve = r))
  let poll: ReturnType<typeof setTimeout> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  const settle = (forGood = false) => {
    disabled ||= forGood
    done = true
    clearTimeout(poll)
    clearTimeout(timer)
    win.document.removeEventListener('load', watch, true)
    resolve()
  }
  const watch = () => {
    clearTimeout(poll)
    if (isHubSpotReady(win)) {
      hooks.loaded()
      if (!config.formsSdkUrl || win.hbspt?.forms) return settle()
    }
    if (!done) poll = setTimeout(watch, POLL_MS)
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
  // HubSpot's loader adds the tracker itself: a script's load event, caught on its way down to
  // the script, says at once that it may have run (the poll alone says it up to POLL_MS late).
  win.document.addEventListener('load', watch, true)

  return {
    watch,
    start() {
      if (started || disabled) return
      started = true
      arm()
      added.push(...inject(win.document, config, () => (hooks.warn(failed(config.scriptUrl)), settle())))
      watch()
    },
    started: () => started,
    ready: () => readiness,
    settle,
    unload() {
      settle()
      for (const script of added.splice(0)) script?.remove()
    },
  }
}
