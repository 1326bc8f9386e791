import type { Analytics, Context, Plugin } from '@segment/analytics-next'
import { groupCommands, identifyCommands, identityEmail } from '../core/device/commands'
import { DEV } from '../core/dev'
import { CONSENT_EVENT } from '../core/device/consent'
import { parseSettings, type HubSpotSettings, type ResolvedSettings } from '../core/device/settings'
import { trackCommands } from '../core/device/track'
import { toEmail } from '../core/traits'
import type { AnalyticsEvent, Command, Translation } from '../core/types'
import { VERSION } from '../core/version'
import { consentState, type Consent } from './consent-state'
import { noteTaker, warn, warnOnce } from './console'
import { dashboardWarning, OURS, silenceDashboardCopies } from './dashboard'
import { identity, type Identity } from './identity'
import { loading, type Loading } from './loading'
import { applyMiddleware, type DestinationMiddleware } from './middleware'
import { pageViews } from './page-views'
import { ensureQueues, isHubSpotReady, MAX_QUEUED, type HubSpotWindow } from './queue'
import { createSender } from './sender'

export { LOAD_TIMEOUT_MS } from './loading'

/** analytics-next's destination middleware type (not exported by its package index). */
type AnalyticsMiddleware = Parameters<Analytics['addDestinationMiddleware']>[1]

export interface HubSpotPlugin extends Plugin {
  /** Runs destination middleware (`analytics.addDestinationMiddleware('HubSpot', fn)` calls this). */
  addMiddleware(...middlewares: Array<DestinationMiddleware | AnalyticsMiddleware>): void
  /** Revokes HubSpot's cookie consent, turns tracking off and sends nothing more until `grantConsent`. */
  revokeConsent(): void
  /** Lifts `revokeConsent` (or a revocation seen in an event) and loads hubspot.js if it was waiting. */
  grantConsent(): void
  /** Resolves when HubSpot is usable (hubspot.js runs `_hsq`; with `loadFormsSdk`, `hbspt.forms` exists), or will not be. */
  ready(): Promise<unknown>
}

type PageWindow = Window & HubSpotWindow & { __analyticsNextHubSpot?: Record<string, object> }

export const RESET_NOTE = DEV
  ? 'after analytics.reset(), nothing is sent to HubSpot on this page: its tracker still holds the previous visitor'
  : 'reset(): nothing more sent on this page'

function disabledFor(analytics: Analytics | undefined): boolean {
  const integrations = (analytics?.integrations ?? {}) as Record<string, unknown>
  const own = integrations.HubSpot
  return own === false || (own === undefined && integrations.All === false)
}

type Call = 'page' | 'identify' | 'track' | 'group'

/** The plugin's state, in its named parts, wired to one page. */
interface Parts {
  note(note: string): void
  person: Identity
  loader: Loading
  consent: Consent
  loaded(): boolean
  /** What each call sends, once consent lets it through. */
  rules: Record<Call, (event: AnalyticsEvent) => void>
}

function createParts(win: PageWindow, config: ResolvedSettings): Parts {
  const loaded = () => isHubSpotReady(win)
  const note = noteTaker(config.debug)
  const sender = createSender(win, config.debug, () =>
    warnOnce(
      DEV
        ? `hubspot.js has not loaded: window._hsq keeps only the newest ${MAX_QUEUED} commands.`
        : `_hsq kept to the newest ${MAX_QUEUED}`,
    ),
  )
  const views = pageViews(sender, () => win.location.pathname + win.location.search)
  const person = identity(win, sender)
  const loader = loading(win, config, { warn: warnOnce, loaded: () => views.trackerSeen() })
  const consent = consentState(config.consentCategories, {
    allow: () => loader.start(),
    withdraw: () => {
      if (!loader.started()) return
      win._hsp!.push(['revokeCookieConsent'])
      sender.plain([['doNotTrack']])
    },
    restore: () => sender.plain([['doNotTrack', { track: true }]]),
    refuse: () => loader.settle(),
    warn: (message) => warn(message, 'consent-managers-category-names'),
  })
  // Identifies go as they are (HubSpot applies them first), everything else in order.
  const send = ({ commands, notes }: Translation) => {
    notes.forEach(note)
    const identifies = commands.filter((c) => c[0] === 'identify')
    const rest = commands.filter((c: Command) => c[0] !== 'identify')
    if (identifies.length) person.identify(identifies, loaded())
    if (rest.length) sender.task(rest)
  }
  const rules = {
    page: (event: AnalyticsEvent) => views.page(event, loaded()),
    identify: (event: AnalyticsEvent) => {
      person.remember(identityEmail(event))
      send(identifyCommands(event, config, loaded()))
    },
    track: (event: AnalyticsEvent) => {
      if (event.event === CONSENT_EVENT) return
      const result = trackCommands(event, config)
      for (const command of result.commands) if (command[0] === 'identify') person.remember(command[1].email)
      send(result)
    },
    group: (event: AnalyticsEvent) => send(groupCommands(event, person.email())),
  }
  return { note, person, loader, consent, loaded, rules }
}

/** Every handler: destination middleware, consent, then the rules of its call. */
function handlerOf(
  call: Call,
  current: () => Parts | null,
  middlewares: readonly DestinationMiddleware[],
): (ctx: Context) => Context | Promise<Context> {
  return (ctx) => {
    const run = (event: AnalyticsEvent | null): Context => {
      const parts = current()
      if (!event || !parts) return ctx
      try {
        if (!parts.consent.fromEvent(event)) parts.note(DEV ? 'no consent for HubSpot: nothing sent' : 'no consent')
        else if (parts.person.heldBack()) parts.note(RESET_NOTE)
        else parts.rules[call](event)
      } catch (error) {
        // Only a site's own getters can throw here (the rules never do): the page goes on.
        parts.note(`${DEV ? 'event not sent' : 'not sent'}: ${String(error)}`)
      }
      return ctx
    }
    return middlewares.length ? applyMiddleware(ctx.event, middlewares, 'HubSpot').then(run) : run(ctx.event)
  }
}

/**
 * The HubSpot destination for analytics-next: loads HubSpot's tracking script and turns
 * page, identify, track and group calls into its `_hsq` commands.
 */
export function hubspot(settings: HubSpotSettings): HubSpotPlugin {
  const config = parseSettings(settings)
  const win = typeof window === 'undefined' ? null : (window as PageWindow)
  const parts = win && createParts(win, config)
  const middlewares: DestinationMiddleware[] = []
  let analytics: Analytics | undefined
  // The newest copy for a hub wins (a second registration, a hot reload): never two senders.
  const current = () => (win?.__analyticsNextHubSpot?.[config.hubId] === plugin ? parts : null)
  const onReset = () => {
    const parts = current()
    parts?.person.reset(parts.loaded())
    parts?.note(DEV ? 'analytics.reset(): HubSpot visitor cookies cleared' : 'reset(): cookies cleared')
  }
  const handler = (call: Call) => handlerOf(call, current, middlewares)

  const plugin: HubSpotPlugin = {
    name: 'HubSpot',
    type: 'destination',
    version: VERSION,

    isLoaded: () => !!current(),

    // Never rejects: analytics-next would silently drop a destination whose load rejects.
    load(_ctx: Context, instance: Analytics) {
      if (win && parts) {
        ;(win.__analyticsNextHubSpot ||= {})[config.hubId] = plugin
        ensureQueues(win)
        // This plugin is the HubSpot sender the site chose: Segment's own copies go quiet.
        const copies = silenceDashboardCopies(instance, () => plugin.unload?.(_ctx, instance))
        if (copies.length) warn(dashboardWarning(copies), 'install')
        parts.person.remember(toEmail(instance?.user?.().traits?.()?.email))
        parts.loader.watch()
        analytics = instance
        analytics?.on?.('reset', onReset)
        // Disabled for the whole instance: the tracking script would still record a view by itself.
        if (disabledFor(instance)) parts.loader.settle(true)
        else if (!config.consentCategories.length) parts.consent.grant()
      }
      return Promise.resolve()
    },

    ready: async () => parts?.loader.ready(),

    page: handler('page'),
    identify: handler('identify'),
    track: handler('track'),
    group: handler('group'),
    alias: (ctx) => ctx,

    addMiddleware(...fns) {
      // analytics-next types the payload as its full Segment facade; ours has the parts middlewares use.
      middlewares.push(...(fns as DestinationMiddleware[]))
    },

    revokeConsent: () => parts?.consent.revoke(),
    grantConsent: () => parts?.consent.grant(),

    unload() {
      analytics?.off?.('reset', onReset)
      parts?.loader.unload()
      if (current()) delete win!.__analyticsNextHubSpot![config.hubId]
    },
  }
  OURS.add(plugin)
  return plugin
}
