import type { Command } from '../core/types'
import { clearVisitorCookies } from './cookies'
import { withdraw, type HubSpotWindow } from './queue'
import type { Sender } from './sender'

export interface Identity {
  /** The email of the contact identified on this page, for group(). */
  email(): string | null
  remember(email: string | null): void
  /** Sends identify commands (plain: a queued identify reaches HubSpot's automatic view). */
  identify(commands: Command[], loaded: boolean): void
  /** After analytics.reset() once hubspot.js runs: nothing more is sent on this page. */
  heldBack(): boolean
  /** analytics.reset(): ends the HubSpot identity. */
  reset(loaded: boolean): void
}

/**
 * The identity part. HubSpot's tracker keeps an identity in memory and sends it with every
 * later hit of the page, and its visitor cookie ties hits to the contact across pages. On
 * reset (logout) the visitor cookies go, so the next page load is a new HubSpot visitor;
 * before hubspot.js has read the queue, the identifies waiting in it are taken back out and
 * what follows goes out as that new, anonymous visitor; once it has, nothing more is sent
 * on this page, since every hit would still carry the previous user.
 */
export function identity(win: HubSpotWindow & Window, sender: Sender): Identity {
  let email: string | null = null
  let held = false
  const waiting = new Set<Command>()

  return {
    email: () => email,
    remember(next) {
      email = next ?? email
    },
    identify(commands, loaded) {
      if (!loaded) for (const command of commands) waiting.add(command)
      sender.plain(commands)
    },
    heldBack: () => held,
    reset(loaded) {
      email = null
      clearVisitorCookies(win.document)
      if (loaded) {
        held = true
        // After whatever hubspot.js still has queued (its own view may rewrite the cookies).
        sender.task([], () => clearVisitorCookies(win.document))
      } else withdraw(win, waiting)
      waiting.clear()
    },
  }
}
