import { AnalyticsBrowser, type Analytics, type Context, type Plugin } from '@segment/analytics-next'
import type { Command } from '../src/core/types'

type Hsq = { push(...c: unknown[]): unknown }

export interface HubSpotWindow extends Window {
  _hsq?: Hsq
  _hsp?: Hsq
}

export const win = (): HubSpotWindow => window

/** Loads analytics-next offline (no Segment.io, no CDN), with the given plugins. */
export async function loadAnalytics(
  plugins: Plugin[],
  integrations: Record<string, boolean> = {},
  persist = false,
): Promise<Analytics> {
  const [analytics] = await AnalyticsBrowser.load(
    {
      writeKey: 'test-write-key',
      cdnSettings: { integrations: { 'Segment.io': { apiKey: '' } }, metrics: { sampleRate: 0 } },
      plugins,
    },
    { integrations: { 'Segment.io': false, ...integrations }, disableClientPersistence: !persist },
  )
  return analytics
}

/** What is still queued in `_hsq` (before hubspot.js), as plain commands. */
export const queued = (): Command[] => Array.from((win()._hsq ?? []) as unknown as Command[])

/** The HubSpot tracking script element(s) on the page. */
export const hubspotScripts = (): HTMLScriptElement[] =>
  Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'))

/**
 * Stands in for hubspot.js arriving: takes over `_hsq` as the real script does (replacing
 * push), records what it receives from then on, and fires the script element's load event.
 * Returns the list of commands it received, replayed queue first.
 */
export function arriveHubSpot(): Command[] {
  const received: Command[] = []
  const queue = win()._hsq as unknown as Command[]
  received.push(...Array.from(queue))
  queue.length = 0
  ;(queue as unknown as Hsq).push = (...commands: unknown[]) => {
    received.push(...(commands as Command[]))
    return received.length
  }
  document.getElementById('hs-script-loader')?.dispatchEvent(new Event('load'))
  return received
}

/** Resets the page between tests. */
export function resetPage(path = '/'): void {
  document.head.innerHTML = ''
  document.body.innerHTML = ''
  localStorage.clear()
  delete (window as { __analyticsNextHubSpot?: unknown }).__analyticsNextHubSpot
  delete win()._hsq
  delete win()._hsp
  window.history.replaceState(null, '', path)
  document.cookie.split(';').forEach((c) => {
    const name = c.split('=')[0].trim()
    if (name) document.cookie = `${name}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  })
}

/** A second destination that records every event it receives, as a site's other tools would. */
export function recorder(): Plugin & { events: Array<Record<string, unknown>> } {
  const events: Array<Record<string, unknown>> = []
  const record = (ctx: Context) => {
    events.push(JSON.parse(JSON.stringify(ctx.event)))
    return ctx
  }
  return {
    name: 'Recorder',
    type: 'destination',
    version: '1.0.0',
    events,
    isLoaded: () => true,
    load: async () => {},
    track: record,
    identify: record,
    page: record,
    group: record,
  }
}
