import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AnalyticsBrowser, type Analytics, type Context, type Plugin } from '@segment/analytics-next'
import type { Command } from '../src/core/types'
// @ts-expect-error: plain ESM module without types
import { decodeBeacon } from '../demo/beacons.mjs'

// (A path, not a URL object: under jsdom the global URL is jsdom's, which fs does not accept.)
const STANDIN = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../demo/hubspot-standin.js'), 'utf8')

/** A beacon the stand-in sent, decoded (demo/beacons.mjs): values are text, as HubSpot receives them. */
export interface Beacon {
  kind: string
  path: string
  title: string
  identity: Record<string, string> | null
  name?: string
  properties?: Record<string, string>
  id?: string
  value?: string
  utk: string
}

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

type Task = (() => void) & { commands: Command[] }
const isTask = (item: unknown): item is Task => typeof item === 'function'

/**
 * What is queued in `_hsq` (before hubspot.js), as plain commands: a function the plugin
 * queued (HubSpot calls it at its place in the queue) counts as the commands it pushes.
 */
export const queued = (): Command[] =>
  Array.from((win()._hsq ?? []) as unknown[]).flatMap((item) => (isTask(item) ? item.commands : [item as Command]))

/** The raw entries of `_hsq`: commands, and `{ task: [...] }` for each function. */
export const queuedEntries = (): unknown[] =>
  Array.from((win()._hsq ?? []) as unknown[]).map((item) => (isTask(item) ? { task: item.commands } : item))

/** The HubSpot tracking script element(s) on the page. */
export const hubspotScripts = (): HTMLScriptElement[] =>
  Array.from(document.querySelectorAll<HTMLScriptElement>('script[src]'))

/**
 * Stands in for hubspot.js arriving, simply: takes over `_hsq` as the real script does
 * (replacing push on the same array), runs what was queued in order (calling functions,
 * inside which push is its own), records every command it receives, and fires the script
 * element's load event. Returns the commands received. (HubSpot's real queue order, with
 * its automatic view, is the stand-in's: see `runStandin` and test/standin.test.ts.)
 */
export function arriveHubSpot(): Command[] {
  const received: Command[] = []
  const queue = (win()._hsq ?? (win()._hsq = [] as never)) as unknown as unknown[]
  const waiting = queue.splice(0)
  const run = (item: unknown) => (isTask(item) ? item() : received.push(item as Command))
  ;(queue as unknown as Hsq).push = (...items: unknown[]) => {
    items.forEach(run)
    return received.length
  }
  waiting.forEach(run)
  document.getElementById('hs-script-loader')?.dispatchEvent(new Event('load'))
  return received
}

/**
 * Runs the HubSpot stand-in (demo/hubspot-standin.js, the model of HubSpot's real tracker)
 * on this page, as if hubspot.js had just arrived: it takes over `_hsq` and runs the queue
 * in the order of the given build. Returns a reader of the beacons it has sent, decoded.
 */
export function runStandin(build: '1.398' | '2023' = '1.398'): () => Beacon[] {
  const w = window as unknown as Record<string, unknown>
  w.__hubspotStandinBuild = build
  Object.defineProperty(document, 'currentScript', {
    configurable: true,
    value: { src: 'https://js.hs-scripts.com/123.js' },
  })
  try {
    window.eval(STANDIN)
  } finally {
    delete (document as unknown as { currentScript?: unknown }).currentScript
  }
  const standin = w.__hubspotStandin as { beacons: string[] }
  return () => standin.beacons.map((url) => decodeBeacon(url) as Beacon)
}

/** Resets the page between tests. */
export function resetPage(path = '/'): void {
  for (const key of ['__hubspotStandin', '__hubspotStandinBuild', 'hbspt'])
    delete (window as unknown as Record<string, unknown>)[key]
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
