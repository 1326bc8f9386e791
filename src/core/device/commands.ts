import type { ResolvedSettings } from './settings'
import { dict, normalizeTraits, toEmail } from '../traits'
import type { AnalyticsEvent, Command, Translation } from '../types'

/**
 * Where the page-view rule stands. HubSpot's script records one view by itself when it
 * loads, for the last `setPath` queued before that, so:
 * - `fresh`: not loaded, nothing queued; the next page call is the automatic view.
 * - `queued`: not loaded, a `setPath` waits for the automatic view.
 * - `unclaimed`: loaded before any page call; the automatic view still stands for one.
 * - `loaded`: every further page call is a view of its own.
 */
export type PagePhase = 'fresh' | 'queued' | 'unclaimed' | 'loaded'

export interface PageInput {
  /** `path + search` of the view. */
  path: string
  /** hubspot.js has taken over `_hsq` (it replays the queue, then records its view). */
  loaded: boolean
  /** The browser's location (pathname + search) is still what it was when hubspot.js loaded. */
  atLoadLocation: boolean
}

export function pageCommands(phase: PagePhase, input: PageInput): { commands: Command[]; phase: PagePhase } {
  if (input.loaded && phase === 'fresh') phase = 'unclaimed'
  if (input.loaded && phase === 'queued') phase = 'loaded'
  const setPath: Command = ['setPath', input.path]
  switch (phase) {
    case 'fresh':
      return { commands: [setPath], phase: 'queued' }
    case 'queued':
      // Two views before load: record the queued one now (a queued trackPageView is replayed
      // as a view), and leave the new path for the automatic view. Nothing lost, nothing doubled.
      return { commands: [['trackPageView'], setPath], phase }
    case 'unclaimed':
      if (input.atLoadLocation) return { commands: [], phase: 'loaded' }
  }
  return { commands: [setPath, ['trackPageView']], phase: 'loaded' }
}

/** `path + search` of a page event: its properties, then `context.page`, then the fallback (the browser's). */
export function pagePath(event: AnalyticsEvent, fallback: string): string {
  for (const source of [dict(event.properties), dict(dict(event.context).page)]) {
    const path = source.path
    if (typeof path === 'string' && path[0] === '/' && path[1] !== '/') {
      const search = typeof source.search === 'string' ? source.search : ''
      return path + (search && search[0] !== '?' ? '?' + search : search)
    }
  }
  return fallback
}

/** The email HubSpot can tie a visitor to: `traits.email`, else a `userId` that is an email. */
export function identityEmail(event: AnalyticsEvent): string | null {
  return toEmail(dict(event.traits).email) ?? toEmail(event.userId)
}

/**
 * identify only stores traits in HubSpot's tracker: they travel with the next page view
 * or event. `flushIdentify` sends that view at once, except before load, where the
 * automatic view carries them anyway.
 */
export function identifyCommands(event: AnalyticsEvent, settings: ResolvedSettings, loaded: boolean): Translation {
  const email = identityEmail(event)
  if (!email) {
    return {
      commands: [],
      notes: [
        'identify without a valid email in traits.email or userId: nothing sent (HubSpot needs one to find the contact)',
      ],
    }
  }
  const notes: string[] = []
  const traits = normalizeTraits(event.traits, undefined, notes)
  // HubSpot's `id` is an external contact id: a Segment user or anonymous id is not one.
  const asId = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)
  const id = asId(traits.id)
  if (id !== undefined && (id === asId(event.userId) || id === asId(event.anonymousId))) delete traits.id
  traits.email = email
  const commands: Command[] = [['identify', traits]]
  if (settings.flushIdentify && loaded) commands.push(['trackPageView'])
  return { commands, notes }
}

/** group: the company name becomes the contact's `company`, buffered like an identify. */
export function groupCommands(event: AnalyticsEvent, knownEmail: string | null): Translation {
  const traits = dict(event.traits)
  const name = normalizeTraits({ company: typeof traits.name === 'string' ? traits.name : traits.company }).company
  if (!knownEmail || typeof name !== 'string' || !name) {
    return { commands: [], notes: ['group: needs a company name and an email from an earlier identify; nothing sent'] }
  }
  return { commands: [['identify', { email: knownEmail, company: name }]], notes: [] }
}
