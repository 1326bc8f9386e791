/** HubSpot's queues: arrays the page creates; hubspot.js replaces their `push` when it takes over. */
export interface HubSpotQueue {
  push(...items: unknown[]): unknown
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

/** While hubspot.js has not arrived (blocked, offline), `_hsq` keeps only this many of the newest entries. */
export const MAX_QUEUED = 1000

/** `_hsq` while it is still a plain array waiting for hubspot.js, else null. */
export function waiting(win: HubSpotWindow): unknown[] | null {
  const queue = win._hsq
  return Array.isArray(queue) && !isHubSpotReady(win) ? queue : null
}

/** Drops the oldest entries beyond the bound; true when it had to. */
export function bound(win: HubSpotWindow): boolean {
  const queue = waiting(win)
  if (!queue || queue.length <= MAX_QUEUED) return false
  queue.splice(0, queue.length - MAX_QUEUED)
  return true
}

/** Takes entries the plugin queued back out of `_hsq`, while hubspot.js has not read them. */
export function withdraw(win: HubSpotWindow, entries: ReadonlySet<unknown>): void {
  const queue = waiting(win)
  if (!queue || !entries.size) return
  for (let i = queue.length - 1; i >= 0; i--) if (entries.has(queue[i])) queue.splice(i, 1)
}
