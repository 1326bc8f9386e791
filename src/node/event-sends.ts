import type { EventSend } from '../core/cloud/events'
import { deliverBatch, type BatchError, type BatchSpec } from './batch-answer'
import type { Call } from './http'
import type { Flush } from './outcome'

/** Event occurrences per request (HubSpot takes up to 500; 100 keeps requests small). */
export const MAX_EVENTS = 100

/**
 * HubSpot keeps the first occurrence of a uuid and rejects the others: for a call that is
 * sent again (an answer lost after HubSpot recorded it), that rejection means delivered.
 */
const alreadyThere = (error: BatchError) => /duplicate/i.test(error.text) && /uuid/i.test(error.text)

/** The custom behavioral event operation (`POST /events/v3/send`, `/send/batch`) for the events lane. */
export function eventSends(call: Call): Flush<EventSend> {
  const spec: BatchSpec<EventSend> = {
    what: 'event',
    send: (sends) =>
      sends.length === 1
        ? call('POST', '/events/v3/send', sends[0])
        : call('POST', '/events/v3/send/batch', { inputs: sends }),
    names: () => ({}),
    alreadyThere,
  }
  return (sends) => deliverBatch(spec, sends)
}
