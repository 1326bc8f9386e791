import type { Analytics, Context, Plugin } from '@segment/analytics-next'
import { groupCommands, identifyCommands, identityEmail, pageCommands, pagePath, type PagePhase } from './commands'
import { trackCommands } from './events'
import { hasScript, hasTrackingScript, injectScript, LOADER_ID } from './loader'
import { ensureQueues, isHubSpotReady, MAX_QUEUED, pushCommands, type HubSpotWindow } from './queue'
import { parseSettings, type HubSpotSettings } from './settings'
import { toEmail } from './traits'
import type { Translation } from './types'
import { VERSION } from './version'

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
export function hubspot(settings: HubSpotSettings): Plugin {
  const config = parseSettings(settings)
  const win = (typeof window === 'undefined' ? undefined : window) as (Window & HubSpotWindow) | undefined
  let phase: PagePhase = 'fresh'
  let loadLocation: string | null = null
  let knownEmail: string | null = null
  let active = false
  const added: HTMLScriptElement[] = []

  const here = () => (win ? win.location.pathname + win.location.search : '/')
  const ready = () => !!win && isHubSpotReady(win)

  const send = (ctx: Context, { commands, notes }: Translation): Context => {
    if (config.debug) for (const note of notes) console.debug(`[HubSpot] ${note}`)
    if (win && active && pushCommands(win, commands, config.debug)) {
      warnOnce(`hubspot.js has not loaded: window._hsq keeps only the newest ${MAX_QUEUED} commands.`)
    }
    return ctx
  }

  return {
    name: 'HubSpot',
    type: 'destination',
    version: VERSION,

    isLoaded: () => active,

    async load(_ctx: Context, analytics: Analytics): Promise<void> {
      if (!win) return
      active = true
      ensureQueues(win)
      knownEmail = toEmail(analytics?.user?.().traits?.()?.email)
      if (ready()) loadLocation = here()
      // Disabled for the whole instance: the tracking script would still record a view by itself.
      if (disabledFor(analytics)) return
      const doc = win.document
      if (!hasTrackingScript(doc, config.scriptUrl)) {
        const script = injectScript(doc, config.scriptUrl, { id: LOADER_ID, nonce: config.scriptNonce })
        script.addEventListener('load', () => {
          loadLocation = here()
        })
        script.addEventListener('error', () =>
          warnOnce(
            `could not load ${config.scriptUrl} (blocked by an ad blocker, a Content-Security-Policy or the network). ` +
              'Events are kept in window._hsq for this page and will not reach HubSpot unless it loads.',
          ),
        )
        added.push(script)
      }
      if (config.formsSdkUrl && !hasScript(doc, config.formsSdkUrl)) {
        added.push(injectScript(doc, config.formsSdkUrl, { nonce: config.scriptNonce }))
      }
    },

    page(ctx) {
      const loaded = ready()
      if (loaded && loadLocation === null) loadLocation = here()
      const result = pageCommands(phase, { path: pagePath(ctx.event, here()), loaded, atLoadLocation: here() === loadLocation })
      phase = result.phase
      return send(ctx, { commands: result.commands, notes: [] })
    },

    identify(ctx) {
      knownEmail = identityEmail(ctx.event) ?? knownEmail
      return send(ctx, identifyCommands(ctx.event, config, ready()))
    },

    track(ctx) {
      const result = trackCommands(ctx.event, config)
      for (const command of result.commands) if (command[0] === 'identify') knownEmail = String(command[1].email)
      return send(ctx, result)
    },

    group(ctx) {
      return send(ctx, groupCommands(ctx.event, knownEmail))
    },

    alias: (ctx) => ctx,

    unload() {
      active = false
      for (const script of added.splice(0)) script.remove()
    },
  }
}
