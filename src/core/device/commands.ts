import { DEV } from '../dev'
import type { ResolvedSettings } from './settings'
import { dict, normalizeTraits, toEmail } from '../traits'
import type { AnalyticsEvent, Command, Dict, Translation } from '../types'
import { textProperties } from './text'

/**
 * What a page call becomes. HubSpot's script queues a page view for itself when it starts
 * (its automatic view), which records the last `setPath` applied before it, so:
 * - `queue`: before hubspot.js has taken over `_hsq`, a view to replay at its place in the
 *   queue: each but the last queued one is replayed as a view with its own path and title; the
 *   last one only sets the path, for the automatic view;
 * - `none`: the first page call, once hubspot.js runs, at the location it loaded at: the
 *   automatic view records it;
 * - `view`: every other page call after it, a view of its own (`setPath`, then `trackPageView`).
 * `first`: no page call before this one; `atLoadLocation`: the browser's location (pathname +
 * search) is still what it was when hubspot.js loaded.
 */
export const pageStep = (first: boolean, loaded: boolean, atLoadLocation: boolean): 'queue' | 'view' | 'none' =>
  !loaded ? 'queue' : first && atLoadLocation ? 'none' : 'view'

const isPath = (v: unknown): v is string => typeof v === 'string' && v[0] === '/' && v[1] !== '/'

function withSearch(source: Dict): string {
  const path = source.path as string
  const search = typeof source.search === 'string' ? source.search : ''
  if (path.includes('?') || !search) return path
  return path + (search[0] === '?' ? search : '?' + search)
}

/**
 * analytics-next fills `properties` of a page event from the location (or the canonical
 * link) under what the call gave, and `context.page` from the same place under what the
 * call gave in `context.page`: a `context.page` value that differs from the property can
 * only have been given explicitly, so it wins; an explicit property is in both places.
 */
function explicitSource(event: AnalyticsEvent, key: 'path' | 'title'): Dict | null {
  const properties = dict(event.properties)
  const page = dict(dict(event.context).page)
  const valid = key === 'path' ? isPath : (v: unknown) => typeof v === 'string'
  if (valid(page[key]) && page[key] !== properties[key]) return page
  if (valid(properties[key])) return properties
  return valid(page[key]) ? page : null
}

/** `path + search` of a page event: an explicitly given one, else what analytics-next filled, else the fallback. */
export function pagePath(event: AnalyticsEvent, fallback: string): string {
  const source = explicitSource(event, 'path')
  return source ? withSearch(source) : fallback
}

/** The title of a page event, by the same rule as its path; null when it has none. */
export function pageTitle(event: AnalyticsEvent): string | null {
  const source = explicitSource(event, 'title')
  return source ? (source.title as string) : null
}

/** The email HubSpot can tie a visitor to: `traits.email`, else a `userId` that is an email. */
export function identityEmail(event: AnalyticsEvent): string | null {
  return toEmail(dict(event.traits).email) ?? toEmail(event.userId)
}

/**
 * identify only stores traits in HubSpot's tracker: they travel with every later page view
 * or event of the page. `flushIdentify` sends a view at once, except before load, where the
 * automatic view carries them anyway.
 */
export function identifyCommands(event: AnalyticsEvent, settings: ResolvedSettings, loaded: boolean): Translation {
  const email = identityEmail(event)
  if (!email) {
    return {
      commands: [],
      notes: [
        DEV
          ? 'identify without a valid email in traits.email or userId: nothing sent (HubSpot needs one to find the contact)'
          : 'identify: no valid email',
      ],
    }
  }
  const notes: string[] = []
  const traits = normalizeTraits(event.traits, undefined, notes, { flat: true })
  // HubSpot's `id` is an external contact id: a Segment user or anonymous id is not one.
  const asId = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined)
  const id = asId(traits.id)
  if (id !== undefined && (id === asId(event.userId) || id === asId(event.anonymousId))) delete traits.id
  traits.email = email
  const commands: Command[] = [['identify', textProperties(traits)]]
  if (settings.flushIdentify && loaded) commands.push(['trackPageView'])
  return { commands, notes }
}

/** group: the company name becomes the contact's `company`, buffered like an identify. */
export function groupCommands(event: AnalyticsEvent, knownEmail: string | null): Translation {
  const traits = dict(event.traits)
  const name = normalizeTraits({ company: typeof traits.name === 'string' ? traits.name : traits.company }).company
  if (!knownEmail || typeof name !== 'string' || !name) {
    const note = DEV
      ? 'group: needs a company name and an email from an earlier identify; nothing sent'
      : 'group: no company name or no email'
    return { commands: [], notes: [note] }
  }
  return { commands: [['identify', { email: knownEmail, company: name }]], notes: [] }
}
