import type { Command } from '../core/types'
import { bound, ensureQueues, isHubSpotReady, type HubSpotWindow } from './queue'

/**
 * A function queued in `_hsq`. HubSpot's tracker calls it at its own place in the queue
 * (it applies queued `setPath`s and `identify`s before everything else, and one build also
 * runs queued `trackPageView`s early), and while it runs `_hsq.push` is the tracker's own.
 * `commands` says what it pushes, for debugging and for tests.
 */
export type Task = (() => void) & { readonly commands: readonly Command[] }

export interface Sender {
  /** Pushed as they are: identifies (so that a queued one reaches HubSpot's automatic view) and privacy commands. */
  plain(commands: Command[]): void
  /** Queues `run` (by default: pushing `commands`) to run at its place in `_hsq`. */
  task(commands: readonly Command[], run?: () => void): void
  /** From inside a task: one command into HubSpot's tracker; a view records `title` as the page title. */
  direct(command: Command, title?: string | null): void
}

const HITS = new Set(['trackPageView', 'trackCustomBehavioralEvent', 'trackEvent'])

/** Longest wait for the clock to move on (a clock coarser than a millisecond, a frozen one in tests). */
const MAX_SPACING_MS = 20

/**
 * HubSpot's tracker sends an identical beacon URL (same hit, same millisecond) only once:
 * two identical events pushed in the same millisecond (a replayed queue) would lose one.
 * Sends a hit identical to the last one only in a later millisecond than that one went out
 * in: at most one millisecond's wait, on a normal clock.
 */
function spacer(): (signature: string, send: () => void) => void {
  let last = ''
  let at = -1
  return (signature, send) => {
    if (signature === last && Date.now() === at) {
      const give = performance.now() + MAX_SPACING_MS
      while (Date.now() === at && performance.now() < give) {
        // a busy wait, rare and short: no timer could keep the commands in order
      }
    }
    send()
    // Read after the hit went out, never before the tracker stamped it: a push that crosses
    // into the next millisecond gets that millisecond as its own.
    last = signature
    at = Date.now()
  }
}

/** A view's title is `document.title` when HubSpot records it: set for that moment, then put back. */
function withTitle(doc: Document, title: string | null | undefined, push: () => void): void {
  const before = doc.title
  if (typeof title !== 'string' || title === before) return push()
  doc.title = title
  try {
    push()
  } finally {
    doc.title = before
  }
}

/** The sender; with `debug`, it logs every command it pushes. */
export function createSender(win: HubSpotWindow & Window, debug: boolean, onOverflow: () => void): Sender {
  const log = (what: string, ...line: unknown[]) => debug && console.debug(`[HubSpot] ${what}`, ...line)
  const space = spacer()
  let path = ''
  const enqueue = (item: unknown) => {
    ensureQueues(win)
    win._hsq!.push(item)
    if (bound(win)) onOverflow()
  }
  const direct = (command: Command, title?: string | null) => {
    log('_hsq.push', command)
    if (command[0] === 'setPath') path = command[1]
    const send = () => withTitle(win.document, title, () => win._hsq!.push(command))
    if (HITS.has(command[0])) space(`${JSON.stringify(command)}\n${path}\n${title ?? win.document.title}`, send)
    else send()
  }
  return {
    plain(commands) {
      for (const command of commands) {
        log('_hsq.push', command)
        enqueue(command)
      }
    },
    task(commands, run = () => commands.forEach((c) => direct(c))) {
      if (!isHubSpotReady(win)) log('queued for hubspot.js, to run in order:', ...commands)
      enqueue(Object.assign(() => run(), { commands }))
    },
    direct,
  }
}
