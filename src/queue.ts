import type { Command } from './types'

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
  const push = win._hsq?.push
  return typeof push === 'function' && push !== Array.prototype.push
}

export function pushCommands(win: HubSpotWindow, commands: Command[], debug: boolean): void {
  ensureQueues(win)
  for (const command of commands) {
    if (debug) console.debug('[HubSpot] _hsq.push', command)
    win._hsq!.push(command)
  }
}
