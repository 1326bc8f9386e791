// @vitest-environment jsdom
// The plugin's state parts, each on its own with fakes for what it is wired to (plugin.ts wires
// them to the page): consent, page views, identity, loading.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseSettings } from '../src/core/device/settings'
import type { AnalyticsEvent, Command } from '../src/core/types'
import { consentState, type ConsentHooks } from '../src/browser/consent-state'
import { identity } from '../src/browser/identity'
import { LOAD_TIMEOUT_MS, loading } from '../src/browser/loading'
import { pageViews } from '../src/browser/page-views'
import type { Sender } from '../src/browser/sender'
import { resetPage } from './helpers'

afterEach(() => {
  vi.useRealTimers()
  resetPage('/')
})

const consented = (granted: boolean): AnalyticsEvent => ({
  context: { consent: { categoryPreferences: { analytics: granted } } },
})

function hooksLog() {
  const calls: string[] = []
  const hook = (name: string) => () => void calls.push(name)
  const hooks: ConsentHooks = {
    allow: hook('allow'),
    withdraw: hook('withdraw'),
    restore: hook('restore'),
    refuse: hook('refuse'),
    warn: (message) => void calls.push(`warn: ${message}`),
  }
  return { calls, hooks }
}

/**
 * A sender that records what each call pushes, in order (plain commands as the arrays pushed,
 * which the page-view part may still change while they wait), and `runQueue` runs the tasks as
 * hubspot.js would.
 */
function recordingSender() {
  const log: Array<[string, Command]> = []
  const tasks: Array<() => void> = []
  const sender: Sender = {
    plain: (commands) => void log.push(...commands.map((c): [string, Command] => ['plain ', c])),
    task: (commands, run = () => commands.forEach((c) => sender.direct(c))) => void tasks.push(run),
    direct: (command) => void log.push(['', command]),
  }
  const pushed = () => log.map(([how, command]) => how + command.map(String).join(' '))
  return { pushed, sender, runQueue: () => tasks.splice(0).forEach((run) => run()) }
}

describe('the consent part', () => {
  it('allows, withdraws and restores as events say; a revocation through the API outlasts a granted stamp', () => {
    const { calls, hooks } = hooksLog()
    const consent = consentState(['analytics'], hooks)
    expect(consent.fromEvent(consented(true))).toBe(true)
    expect(consent.fromEvent(consented(false))).toBe(false)
    expect(consent.fromEvent(consented(true))).toBe(true)
    consent.revoke()
    expect(consent.fromEvent(consented(true))).toBe(false)
    consent.grant()
    expect(calls).toEqual(['allow', 'withdraw', 'refuse', 'restore', 'allow', 'withdraw', 'refuse', 'restore', 'allow'])
  })

  it('lets HubSpot load on an event that says nothing about consent, and warns once about categories it does not know', () => {
    const { calls, hooks } = hooksLog()
    const consent = consentState(['analytics'], hooks)
    const oneTrust = { context: { consent: { categoryPreferences: { C0002: true } } } }
    expect(consent.fromEvent(oneTrust)).toBe(false)
    expect(consent.fromEvent(oneTrust)).toBe(false)
    expect(calls).toEqual([expect.stringMatching(/^warn: events carry the consent categories C0002/), 'refuse'])
    const open = consentState(['analytics'], hooksLog().hooks)
    expect(open.fromEvent({})).toBe(true)
  })
})

describe('the page-view part', () => {
  it('replays views queued before hubspot.js at their place, the last one left to the automatic view', () => {
    const { pushed, sender, runQueue } = recordingSender()
    const views = pageViews(sender, () => '/a')
    views.page({}, false)
    views.page({ properties: { path: '/b' } }, false)
    runQueue()
    // The plain setPath (applied first by HubSpot) holds the newest path, for the automatic view.
    expect(pushed()).toEqual(['plain setPath /b', 'setPath /a', 'trackPageView', 'setPath /b'])
  })

  it('after hubspot.js: nothing for the first view at the load location, a view of its own after a navigation', () => {
    const { pushed, sender, runQueue } = recordingSender()
    let here = '/a'
    const views = pageViews(sender, () => here)
    views.trackerSeen()
    views.page({}, true)
    here = '/c'
    views.page({}, true)
    runQueue()
    expect(pushed()).toEqual(['setPath /c', 'trackPageView'])
  })
})

describe('the identity part', () => {
  it('remembers the email for group, and on reset before hubspot.js takes the queued identifies back out of _hsq', () => {
    const win = window as Window & { _hsq?: unknown[] }
    const identify: Command = ['identify', { email: 'alex@example.com' }]
    const sender: Sender = { plain: (c) => void win._hsq!.push(...c), task: () => {}, direct: () => {} }
    win._hsq = []
    const person = identity(win, sender)
    person.remember('alex@example.com')
    person.identify([identify], false)
    expect([person.email(), win._hsq]).toEqual(['alex@example.com', [identify]])
    person.reset(false)
    expect([person.email(), win._hsq, person.heldBack()]).toEqual([null, [], false])
  })
})

describe('the loading part', () => {
  it('injects hubspot.js once, and ready() resolves at the timeout with one warning when it never starts', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const warnings: string[] = []
    const loader = loading(window, parseSettings({ hubId: '123' }), { warn: (m) => warnings.push(m), loaded: () => {} })
    loader.start()
    loader.start()
    expect(Array.from(document.scripts, (s) => s.src)).toEqual(['https://js.hs-scripts.com/123.js'])
    let ready = false
    void loader.ready().then(() => (ready = true))
    await vi.advanceTimersByTimeAsync(LOAD_TIMEOUT_MS)
    expect([ready, warnings]).toEqual([true, [expect.stringContaining('has not started after 10 s')]])
    loader.unload()
    expect(document.scripts.length).toBe(0)
  })

  it("ready() resolves at the load event of the tracker HubSpot's loader adds, not at the next poll", async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const win = window as Window & { _hsq?: unknown[] }
    const loader = loading(win, parseSettings({ hubId: '123' }), { warn: () => {}, loaded: () => {} })
    loader.start()
    let ready = false
    void loader.ready().then(() => (ready = true))
    // What HubSpot's loader does: it adds the tracker, which takes over _hsq when it runs.
    const tracker = document.createElement('script')
    document.head.append(tracker)
    win._hsq = Object.assign([], { push: () => 0 })
    await vi.advanceTimersByTimeAsync(0)
    expect(ready).toBe(false)
    tracker.dispatchEvent(new Event('load'))
    await vi.advanceTimersByTimeAsync(0)
    expect(ready).toBe(true)
    loader.unload()
    tracker.remove()
  })
})
