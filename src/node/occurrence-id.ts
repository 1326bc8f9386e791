import { v5 } from 'uuid'

/** This package's namespace for name-based occurrence ids (a fixed, random UUID). */
const NAMESPACE = 'ea9645d9-f394-40ac-93e5-a9167efcc253'

/**
 * The `uuid` of an event occurrence: a version-5 UUID of the call's messageId, so that every
 * send of one call (a retry, a redelivery from the durable queue, another process) carries
 * the same id and HubSpot keeps one occurrence. analytics-node's messageIds are not UUIDs.
 */
export const occurrenceId = (messageId: string): string => v5(messageId, NAMESPACE)
