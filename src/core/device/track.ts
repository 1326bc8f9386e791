import { DEV } from '../dev'
import { customEventName, eventProperties } from '../event-properties'
import { foldEventName } from '../event-map'
import { dict, normalizeTraits, toEmail, trim } from '../traits'
import type { AnalyticsEvent, Command, Translation } from '../types'
import type { ResolvedSettings } from './settings'
import { textProperties } from './text'

const NO_MAPPING: Readonly<Record<string, string>> = Object.freeze(Object.create(null) as Record<string, string>)
// HubSpot has no nested properties: the browser plugin flattens them (`sides_item1`).
const FLAT = { flat: true }

/**
 * A track call: contact properties from `context.traits` (Segment seed) as a buffered
 * identify, then the custom behavioral event (or the legacy event).
 */
export function trackCommands(event: AnalyticsEvent, settings: ResolvedSettings): Translation {
  const notes: string[] = []
  const commands: Command[] = []
  const name = typeof event.event === 'string' ? trim(event.event) : ''
  const sent = name
    ? eventCommand(event, name, settings, notes)
    : (notes.push(DEV ? 'track without an event name: nothing sent' : 'track: no event name'), null)
  const traits = dict(dict(event.context).traits)
  const email = sent && (toEmail(traits.email) ?? toEmail(dict(event.properties).email))
  if (email) {
    const contact = normalizeTraits(traits, undefined, notes, FLAT)
    // The visitor token is HubSpot's cookie, not a contact property.
    delete contact.utk
    commands.push(['identify', textProperties({ ...contact, email })])
  }
  if (sent) commands.push(sent)
  return { commands, notes }
}

function eventCommand(
  event: AnalyticsEvent,
  name: string,
  settings: ResolvedSettings,
  notes: string[],
): Command | null {
  const mapping = settings.events[foldEventName(name)]
  const unmapped = settings.unmappedEvents
  if (!mapping && unmapped === 'legacy') {
    const properties = dict(event.properties)
    const value = [properties.revenue, properties.value].find((v) => typeof v === 'number' && Number.isFinite(v))
    return ['trackEvent', typeof value === 'number' ? { id: name, value: String(value) } : { id: name }]
  }
  const internal = mapping ? mapping.name : unmapped === 'ignore' ? null : customEventName(settings.hubId, name)
  if (internal) {
    const properties = eventProperties(event, mapping ? mapping.properties : NO_MAPPING, notes, FLAT)
    return ['trackCustomBehavioralEvent', { name: internal, properties: textProperties(properties) }]
  }
  const quoted = JSON.stringify(name)
  notes.push(
    unmapped === 'ignore'
      ? DEV
        ? `event ${quoted} is not in settings.events and unmappedEvents is 'ignore': nothing sent`
        : `${quoted}: unmappedEvents 'ignore'`
      : DEV
        ? `event ${quoted} has no letters or digits for a HubSpot name: nothing sent`
        : `${quoted}: no HubSpot name`,
  )
  return null
}
