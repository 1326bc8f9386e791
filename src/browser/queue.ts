import type { Command } from '../core/types'

/** HubSpot's queues: arrays until hubspot.js arrives, then its own objects with a `push`. */
export interface HubSpotQueue {
  push(...commands: unknown[]): unknown
}

export interface HubSpotWindow {
  _hsq?: HubSpotQueue
  _hsp?: HubSpotQueue
}

/** Creates `_hsq` and `_hsp` when absent, keeping whatever the page or HubSpot already put there. */
export function ensureQueues(win: HubSpotWindow): void {
  win._hsq = win._hsq || []
  win._hsp = win._hsp || []
}

/** hubspot.js replaces `_hsq.push` once it runs the commands itself. */
export function isHubSpotReady(win: HubSpotWindow): boolean {
  // Compared, never called: the method is not detached from its queue.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const push = win._hsq?.push
  return typeof push === 'function' && push !== Array.prototype.push
}

/** While hubspot.js has not arrived (blocked, offline), `_hsq` keeps only this many of the newest commands. */
export const MAX_QUEUED = 1000

/** Pushes the commands; returns true when old ones had to be dropped to keep the bound. */
export function pushCommands(win: HubSpotWindow, commands: Command[], debug: boolean): boolean {
  ensureQueues(win)
  const queue = win._hsq!
  for (const command of commands) {
    if (debug) console.debug('[HubSpot] _hsq.push', command)
    queue.push(command)
  }
  if (!Array.isArray(queue) || queue.length <= MAX_QUEUED) return false
  queue.splice(0, queue.length - MAX_QUEUED)
  return true
}
