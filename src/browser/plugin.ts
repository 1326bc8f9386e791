import type { Analytics, Context, Plugin } from '@segment/analytics-next'
import {
  groupCommands,
  identifyCommands,
  identityEmail,
  pageCommands,
  pagePath,
  type PagePhase,
} from '../core/device/commands'
import { CONSENT_EVENT, consentSignal, type ConsentSignal } from '../core/device/consent'
import { trackCommands } from '../core/device/track'
import { hasScript, hasTrackingScript, injectScript, LOADER_ID } from './loader'
import { applyMiddleware, type DestinationMiddleware } from './middleware'
import { ensureQueues, isHubSpotReady, MAX_QUEUED, pushCommands, type HubSpotWindow } from './queue'
import { parseSettings, type HubSpotSettings } from '../core/device/settings'
import { toEmail } from '../core/traits'
import type { AnalyticsEvent, Translation } from '../core/types'
import { VERSION } from '../core/version'

/** How long hubspot.js may take to start before the site is told. */
export const LOAD_TIMEOUT_MS = 10_000

/** analytics-next's destination middleware type (not exported by its package index). */
type AnalyticsMiddleware = Parameters<Analytics['addDestinationMiddleware']>[1]

export interface HubSpotPlugin extends Plugin {
  /** Runs destination middleware (`analytics.addDestinationMiddleware('HubSpot', fn)` calls this). */
  addMiddleware(...middlewares: Array<DestinationMiddleware | AnalyticsMiddleware>): void
  /** Revokes HubSpot's cookie consent, turns tracking off and sends nothing more until `grantConsent`. */
  revokeConsent(): void
  /** Lifts `revokeConsent` (or a revocation seen in an event) and loads hubspot.js if it was waiting. */
  grantConsent(): void
}

type PageWindow = Window & HubSpotWindow & { __analyticsNextHubSpot?: Record<string, object> }

let warned = false

/** Warns once per page: an ad blocker or a network failure is the site's to know, not to crash on. */
function warnOnce(message: string): void {
  if (warned) return
  warned = true
  console.warn(`[HubSpot] ${message}`)
}

function disabledFor(analytics: Analytics | undefined): boolean {
  const integrations = (analytics?.integrations ?? {}) as Record<string, unknown>
  const own = integrations.HubSpot
  return own === false || (own === undefined && integrations.All === false)
}

/**
 * The HubSpot destination for analytics-next: loads HubSpot's tracking script and turns
 * page, identify, track and group calls into its `_hsq` commands.
 */
export function hubspot(settings: HubSpotSettings): HubSpotPlugin {
  const config = parseSettings(settings)
  const win = (typeof window === 'undefined' ? undefined : window) as PageWindow | undefined
  const self = {}
  const middlewares: DestinationMiddleware[] = []
  const reported = new Set<string>()
  const added: HTMLScriptElement[] = []
  let phase: PagePhase = 'fresh'
  let loadLocation: string | null = null
  let knownEmail: string | null = null
  let disabled = false
  // Consent: null until the first event says (or does not say) anything about it.
  let allowed: boolean | null = config.consentCategories.length ? null : true
  let revoked = false
  let started = false
  let timer: ReturnType<typeof setTimeout> | undefined

  const active = () => win?.__analyticsNextHubSpot?.[config.hubId] === self
  const here = () => (win ? win.location.pathname + win.location.search : '/')
  const ready = () => !!win && isHubSpotReady(win)
  // Each reason is told once per page, or a busy page would drown the console.
  const debug = (note: string) => {
    if (!config.debug || reported.has(note)) return
    reported.add(note)
    console.debug(`[HubSpot] ${note}`)
  }

  const push = ({ commands, notes }: Translation) => {
    notes.forEach(debug)
    if (win && pushCommands(win, commands, config.debug)) {
      warnOnce(`hubspot.js has not loaded: window._hsq keeps only the newest ${MAX_QUEUED} commands.`)
    }
  }

  // hubspot.js is requested once consent allows it: with the first event, or at load when consent is ignored.
  const start = () => {
    if (started || disabled || !win || !allowed) return
    started = true
    const doc = win.document
    if (!hasTrackingScript(doc, config.scriptUrl)) {
      const script = injectScript(doc, config.scriptUrl, { id: LOADER_ID, nonce: config.scriptNonce })
      script.addEventListener('load', () => (loadLocation = here()))
      script.addEventListener('error', () => {
        clearTimeout(timer)
        warnOnce(
          `could not load ${config.scriptUrl} (blocked by an ad blocker, a Content-Security-Policy or the network). ` +
            'Events wait in window._hsq and reach HubSpot only if it loads.',
        )
      })
      added.push(script)
      timer = setTimeout(() => {
        if (!ready())
          warnOnce(`${config.scriptUrl} has not started after ${LOAD_TIMEOUT_MS / 1000} s; events wait in window._hsq.`)
      }, LOAD_TIMEOUT_MS)
    }
    if (config.formsSdkUrl && !hasScript(doc, config.formsSdkUrl)) {
      added.push(injectScript(doc, config.formsSdkUrl, { nonce: config.scriptNonce }))
    }
  }

  const consent = (signal: ConsentSignal) => {
    if (signal === 'denied' && allowed !== false) {
      if (allowed && started && win) {
        win._hsp!.push(['revokeCookieConsent'])
        push({ commands: [['doNotTrack']], notes: [] })
        revoked = true
      }
      allowed = false
    } else if (signal === 'granted' || (signal === 'unknown' && allowed === null)) {
      if (revoked) push({ commands: [['doNotTrack', { track: true }]], notes: [] })
      revoked = false
      allowed = true
      start()
    }
  }

  // Every handler: destination middleware, consent, then the pure translation.
  const handler =
    (translate: (event: AnalyticsEvent) => Translation) =>
    (ctx: Context): Context | Promise<Context> => {
      const deliver = (event: AnalyticsEvent | null): Context => {
        if (!event || !active()) return ctx
        try {
          consent(consentSignal(event, config.consentCategories))
          if (allowed) push(translate(event))
          else debug('no consent for HubSpot: nothing sent')
        } catch (error) {
          // Only a site's own getters can throw here (the rules never do): the page goes on.
          debug(`event not sent: ${String(error)}`)
        }
        return ctx
      }
      return middlewares.length ? applyMiddleware(ctx.event, middlewares, 'HubSpot').then(deliver) : deliver(ctx.event)
    }

  return {
    name: 'HubSpot',
    type: 'destination',
    version: VERSION,

    isLoaded: active,

    // Never rejects: analytics-next would silently drop a destination whose load rejects.
    load(_ctx: Context, analytics: Analytics): Promise<void> {
      if (!win) return Promise.resolve()
      // The newest copy for a hub wins (a second registration, a hot reload): never two senders.
      ;(win.__analyticsNextHubSpot ||= {})[config.hubId] = self
      ensureQueues(win)
      knownEmail = toEmail(analytics?.user?.().traits?.()?.email)
      if (ready()) loadLocation = here()
      // Disabled for the whole instance: the tracking script would still record a view by itself.
      disabled = disabledFor(analytics)
      start()
      return Promise.resolve()
    },

    page: handler((event) => {
      const loaded = ready()
      if (loaded && loadLocation === null) loadLocation = here()
      const result = pageCommands(phase, {
        path: pagePath(event, here()),
        loaded,
        atLoadLocation: here() === loadLocation,
      })
      phase = result.phase
      return { commands: result.commands, notes: [] }
    }),

    identify: handler((event) => {
      knownEmail = identityEmail(event) ?? knownEmail
      return identifyCommands(event, config, ready())
    }),

    track: handler((event) => {
      if (event.event === CONSENT_EVENT) return { commands: [], notes: [] }
      const result = trackCommands(event, config)
      for (const command of result.commands) if (command[0] === 'identify') knownEmail = String(command[1].email)
      return result
    }),

    group: handler((event) => groupCommands(event, knownEmail)),

    alias: (ctx) => ctx,

    addMiddleware(...fns) {
      // analytics-next types the payload as its full Segment facade; ours has the parts middlewares use.
      middlewares.push(...(fns as DestinationMiddleware[]))
    },

    revokeConsent: () => consent('denied'),

    grantConsent: () => consent('granted'),

    unload() {
      clearTimeout(timer)
      if (active()) delete win!.__analyticsNextHubSpot![config.hubId]
      for (const script of added.splice(0)) script.remove()
    },
  }
}
