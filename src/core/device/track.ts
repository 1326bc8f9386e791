import { DEV } from '../dev'
import { customEventName, eventProperties } from '../event-properties'
import { foldEventName } from '../event-map'
import { dict, normalizeTraits, toEmail, trim } from '../traits'
import type { AnalyticsEvent, Command, Translation } from '../types'
import type { ResolvedSettings } from './settings'
import { asText, textProperties } from './text'

const NO_MAPPING: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>)
// HubSpot has no nested properties: the browser plugin flattens them (`sides_item1`).
const FLAT = { flat: true }

/**
 * A track call: contact properties from `context.traits` (Segment seed) as a buffered
 * identify, then the custom behavioral event (or the legacy event).
 */
export function trackCommands(event: AnalyticsEvent, settings: ResolvedSettings): Translation {
  const notes: string[] = []
  const name = typeof event.event === 'string' ? trim(event.event) : ''
  const sent = name
    ? eventCommand(event, name, settings, notes)
    : (notes.push(DEV ? 'track without an event name: nothing sent' : 'track: no event name'), null)
  if (!sent) return { commands: [], notes }

  const properties = dict(event.properties)
  const traits = dict(dict(event.context).traits)
  const email = toEmail(traits.email) ?? toEmail(properties.email)
  if (!email) return { commands: [sent], notes }
  const contact = normalizeTraits(traits, undefined, notes, FLAT)
  // The visitor token is HubSpot's cookie, not a contact property.
  delete contact.utk
  return { commands: [['identify', textProperties({ ...contact, email })], sent], notes }
}

const behavioral = (name: string, event: AnalyticsEvent, mapped: Readonly<Record<string, string>>, notes: string[]) =>
  [
    'trackCustomBehavioralEvent',
    { name, properties: textProperties(eventProperties(event, mapped, notes, FLAT)) },
  ] as Command

function eventCommand(
  event: AnalyticsEvent,
  name: string,
  settings: ResolvedSettings,
  notes: string[],
): Command | null {
  const mapping = settings.events[foldEventName(name)]
  if (mapping) return behavioral(mapping.name, event, mapping.properties, notes)
  if (settings.unmappedEvents === 'legacy') {
    const properties = dict(event.properties)
    const value = [properties.revenue, properties.value].find((v) => typeof v === 'number' && Number.isFinite(v))
    return ['trackEvent', typeof value === 'number' ? { id: name, value: asText(value) } : { id: name }]
  }
  if (settings.unmappedEvents === 'ignore') {
    const quoted = JSON.stringify(name)
    notes.push(
      DEV
        ? `event ${quoted} is not in settings.events and unmappedEvents is 'ignore': nothing sent`
        : `${quoted}: unmappedEvents 'ignore'`,
    )
    return null
  }
  const internal = customEventName(settings.hubId, name)
  if (internal) return behavioral(internal, event, NO_MAPPING, notes)
  const quoted = JSON.stringify(name)
  notes.push(
    DEV ? `event ${quoted} has no letters or digits for a HubSpot name: nothing sent` : `${quoted}: no HubSpot name`,
  )
  return null
}
