import { readFileSync } from 'node:fs'
import { test as base, expect, type Page, type Route } from '@playwright/test'
// @ts-expect-error: plain ESM module without types
import { startServer } from '../demo/server.mjs'
import { ROOT } from './readme'

export { expect }

/**
 * A beacon HubSpot's tracker (here the stand-in, demo/hubspot-standin.js) sent to
 * track.hubspot.com, decoded by demo/beacons.mjs: every value is text, as the URL carried it.
 */
export interface Hit {
  seq: number
  kind: 'pageView' | 'customEvent' | 'legacyEvent' | 'revocation' | 'unknown'
  host: string
  hubId: string
  path: string
  previousPath?: string
  title: string
  url: string
  utk: string
  hstc: string | null
  hssc: string | null
  identity: Record<string, string> | null
  name?: string
  properties?: Record<string, string>
  id?: string
  value?: string
  revoked?: boolean
  raw: string
}

interface Server {
  url: string
  close(): Promise<void>
}

// HubSpot's beacon hosts; their requests are answered by the local collector (demo/server.mjs).
const TRACK_HOSTS = /^https:\/\/(track(?:-eu1)?\.hubspot\.com)(\/[^?]*)(\?.*)?$/

/** How the routed HubSpot URLs answer in this test. */
export interface HubSpotRoute {
  /** Requests made for https://js(-eu1).hs-scripts.com/{hubId}.js or js.hs-analytics.net/analytics/…/{hubId}.js. */
  requests: string[]
  /** Holds the script's response until the returned function is called. */
  hold(): () => void
  /** Answers with this status and no script (e.g. 404). */
  fail(status: number): void
  /** Aborts the request, as an ad blocker does. */
  block(): void
}

export interface Guard {
  /** Requests that would have left the machine (none may). */
  escaped: string[]
  consoleErrors: string[]
  warnings: string[]
  /** Browser messages about a resource that failed to load are expected in this test. */
  allowResourceErrors(): void
}

const STANDIN = readFileSync(`${ROOT}/demo/hubspot-standin.js`, 'utf8')
const UMD = `${ROOT}/node_modules/@segment/analytics-next/dist/umd`
const PKG = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'))
const ANALYTICS_NEXT = JSON.parse(readFileSync(`${ROOT}/node_modules/@segment/analytics-next/package.json`, 'utf8'))

const file = (route: Route, path: string, contentType = 'text/javascript') =>
  route.fulfill({ status: 200, contentType, body: readFileSync(path) })

/** Which of Segment's own HubSpot destinations the site's Segment dashboard has on, in device mode. */
export type Dashboard = 'none' | 'classic' | 'actions' | 'both'

/** Segment's CDN entries for HubSpot enabled in the dashboard in device mode (as analytics-next reads them). */
export const DASHBOARD_SETTINGS: Record<'classic' | 'actions', Record<string, unknown>> = {
  classic: {
    integrations: {
      HubSpot: {
        portalId: '1234567',
        loadFormsSdk: false,
        type: 'browser',
        bundlingStatus: 'bundled',
        versionSettings: { version: '3.3.0', componentTypes: ['browser'] },
      },
    },
  },
  actions: {
    integrations: { 'HubSpot Web (Actions)': { versionSettings: { componentTypes: [] }, bundlingStatus: 'bundled' } },
    remotePlugins: [
      {
        name: 'HubSpot Web (Actions)',
        creationName: 'HubSpot Web (Actions)',
        libraryName: 'hubspotDestination',
        url: 'https://cdn.segment.com/next-integrations/actions/hubspot-web/5f3d1a2b.js',
        settings: { portalId: '1234567', subscriptions: '[]' },
      },
    ],
  },
}

/** Segment's CDN answer for a write key: Segment.io only (plus the dashboard's HubSpot), metrics off. */
const cdnSettings = (writeKey: string, dashboard: Dashboard) => {
  const kinds = dashboard === 'both' ? (['classic', 'actions'] as const) : dashboard === 'none' ? [] : [dashboard]
  const extras = kinds.map((kind) => DASHBOARD_SETTINGS[kind])
  return JSON.stringify({
    ...Object.assign({}, ...extras),
    integrations: Object.assign(
      { 'Segment.io': { apiKey: writeKey, apiHost: 'api.segment.io/v1' } },
      ...extras.map((extra) => extra.integrations),
    ),
    plan: { track: { __default: { enabled: true } }, identify: { __default: { enabled: true } } },
    metrics: { sampleRate: 0 },
  })
}

// The fakes of Segment's HubSpot destination bundles (e2e/fakes), on Segment's CDN or the page's own.
const FAKE_BUNDLES =
  /\/next-integrations\/(integrations\/hubspot\/[^/]+\/hubspot\.dynamic\.js\.gz|actions\/hubspot-web\/[\w]+\.js)$/

export const test = base.extend<
  { hubspot: HubSpotRoute; guard: Guard; hits: () => Promise<Hit[]>; dashboard: Dashboard; bundles: string[] },
  { server: Server }
>({
  dashboard: ['none', { option: true }],

  // Requests for Segment's own HubSpot destination bundles, answered with the fakes.
  bundles: [
    async ({ context, guard: _guard }, use) => {
      const requests: string[] = []
      await context.route(FAKE_BUNDLES, async (route) => {
        const url = route.request().url()
        requests.push(url)
        const fake = url.includes('/actions/') ? 'hubspot-actions.js' : 'hubspot-classic.js'
        return file(route, `${ROOT}/e2e/fakes/${fake}`)
      })
      await use(requests)
    },
    { auto: true },
  ],

  server: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixtures a test uses from this pattern
    async ({}, use) => {
      const server: Server = await startServer({ port: 0 })
      await use(server)
      await server.close()
    },
    { scope: 'worker' },
  ],

  baseURL: async ({ server }, use) => use(server.url.replace(/\/$/, '')),

  hits: async ({ server }, use) => {
    const base = server.url.replace(/\/$/, '')
    await fetch(`${base}/__hubspot/hits`, { method: 'DELETE' })
    await use(async () => (await (await fetch(`${base}/__hubspot/hits`)).json()) as Hit[])
  },

  // Depends on the guard so that its catch-all route is registered first (Playwright runs the last registered first).
  hubspot: [
    async ({ context, server, guard: _guard }, use) => {
      let gate: Promise<void> | null = null
      let failure: number | 'block' | null = null
      const state: HubSpotRoute = {
        requests: [],
        hold() {
          let release!: () => void
          gate = new Promise<void>((resolve) => (release = resolve))
          return release
        },
        fail(status) {
          failure = status
        },
        block() {
          failure = 'block'
        },
      }
      // HubSpot's loader, and its tracker as Segment's classic destination loads it.
      await context.route(
        /^https:\/\/(js(-eu1)?\.hs-scripts\.com\/\d+|js\.hs-analytics\.net\/analytics\/\d+\/\d+)\.js$/,
        async (route) => {
          state.requests.push(route.request().url())
          if (gate) await gate
          if (failure === 'block') return route.abort('blockedbyclient')
          if (failure) return route.fulfill({ status: failure, contentType: 'text/plain', body: 'Not Found' })
          return route.fulfill({ status: 200, contentType: 'text/javascript', body: STANDIN })
        },
      )
      // HubSpot's beacons reach the local collector, which decodes and records them.
      await context.route(TRACK_HOSTS, async (route) => {
        const [, host, path, search = ''] = TRACK_HOSTS.exec(route.request().url())!
        const answer = await fetch(`${server.url}/__hubspot/${host}${path}${search}`)
        return route.fulfill({
          status: answer.status,
          contentType: answer.headers.get('content-type') ?? 'image/gif',
          body: Buffer.from(await answer.arrayBuffer()),
        })
      })
      await use(state)
    },
    { auto: true },
  ],

  guard: [
    async ({ context, page, dashboard }, use) => {
      const guard: Guard & { resourceErrorsAllowed: boolean } = {
        escaped: [],
        consoleErrors: [],
        warnings: [],
        resourceErrorsAllowed: false,
        allowResourceErrors() {
          guard.resourceErrorsAllowed = true
        },
      }
      // Registered before the HubSpot route, so it runs after it: only what nothing else answers gets here.
      await context.route(
        () => true,
        async (route) => {
          const url = new URL(route.request().url())
          if (url.hostname === '127.0.0.1') return route.continue()
          const unpkg = /^\/(analytics-next-hubspot|@segment\/analytics-next)@([^/]+)\/dist\/(.+)$/.exec(url.pathname)
          if (url.hostname === 'unpkg.com' && unpkg) {
            const [, name, version, rest] = unpkg
            const expected = name === 'analytics-next-hubspot' ? PKG.version : ANALYTICS_NEXT.version
            if (version !== expected) throw new Error(`README pins ${name}@${version}, the repo has ${expected}`)
            return file(
              route,
              name === 'analytics-next-hubspot' ? `${ROOT}/dist/${rest}` : `${UMD}/${rest.replace(/^umd\//, '')}`,
            )
          }
          if (url.hostname === 'cdn.segment.com') {
            const settings = /^\/v1\/projects\/([^/]+)\/settings$/.exec(url.pathname)
            if (settings)
              return route.fulfill({
                status: 200,
                contentType: 'application/json',
                body: cdnSettings(settings[1], dashboard),
              })
            if (/^\/analytics\.js\/v1\/[^/]+\/analytics\.min\.js$/.test(url.pathname))
              return file(route, `${UMD}/standalone.js`)
            const bundle = /^\/analytics-next\/bundles\/([\w.-]+\.js)$/.exec(url.pathname)
            if (bundle) return file(route, `${UMD}/${bundle[1]}`)
          }
          // Segment's own upload, when the README snippets run with Segment.io on.
          if (url.hostname === 'api.segment.io')
            return route.fulfill({ status: 200, contentType: 'application/json', body: '{}' })
          guard.escaped.push(url.href)
          return route.abort('blockedbyclient')
        },
      )
      page.on('console', (message) => {
        const text = message.text()
        if (message.type() === 'warning') guard.warnings.push(text)
        if (message.type() !== 'error') return
        if (
          guard.resourceErrorsAllowed &&
          /Failed to load resource|ERR_BLOCKED_BY_CLIENT|Content Security Policy/.test(text)
        )
          return
        guard.consoleErrors.push(text)
      })
      page.on('pageerror', (error) => guard.consoleErrors.push(`uncaught: ${error.message}`))
      await use(guard)
      expect(guard.escaped, 'requests that would have left the machine').toEqual([])
      expect(guard.consoleErrors, 'console errors and uncaught exceptions').toEqual([])
    },
    { auto: true },
  ],
})

/** Opens the scenario page (CDN install, test-chosen settings) and waits for analytics to be ready. */
export async function openScenario(
  page: Page,
  config: {
    settings?: Record<string, unknown>
    integrations?: Record<string, boolean>
    utk?: boolean
    initialPage?: boolean
    path?: string
    /** Entries the site's Segment dashboard adds to the CDN settings (DASHBOARD_SETTINGS). */
    cdnExtra?: Record<string, unknown>
    /** Load with `updateCDNSettings: withoutDashboardHubSpot`. */
    withoutDashboard?: boolean
  } = {},
): Promise<void> {
  await page.addInitScript((c) => {
    ;(window as unknown as { __e2e: unknown }).__e2e = c
  }, config)
  // hubspot.js may be held by the test, and an async script holds back the load event.
  await page.goto(config.path ?? '/e2e/pages/scenario.html', { waitUntil: 'domcontentloaded' })
  await loaded(page)
}

/**
 * Waits for analytics-next to have loaded (its plugins registered), not for `ready()`,
 * which waits for HubSpot's script, held or blocked in some tests.
 */
export const loaded = (page: Page): Promise<boolean> =>
  page.evaluate(() => (window as unknown as { __analytics: Promise<unknown> }).__analytics.then(() => true))

/** Runs an analytics call on the page and waits for it to be delivered to every destination. */
export function call(page: Page, method: string, ...args: unknown[]): Promise<void> {
  return callOn(page, '__analytics', method, ...args)
}

/** The same, on the analytics instance a page keeps in `window[global]`. */
export function callOn(page: Page, global: string, method: string, ...args: unknown[]): Promise<void> {
  return page.evaluate(
    async ([g, m, a]) => {
      const analytics = (window as unknown as Record<string, Record<string, (...x: unknown[]) => Promise<unknown>>>)[g]
      await analytics[m](...a)
    },
    [global, method, args] as [string, string, unknown[]],
  )
}

/** Waits until the server has exactly the hits matching `expected`, and still has them a moment later. */
export async function expectHits(hits: () => Promise<Hit[]>, expected: Array<Partial<Hit>>): Promise<Hit[]> {
  await expect.poll(hits).toMatchObject(expected)
  await new Promise((resolve) => setTimeout(resolve, 300))
  const settled = await hits()
  expect(settled).toMatchObject(expected)
  return settled
}

/** What the recorder destination (the site's other tool) received. */
export const recorded = (page: Page): Promise<Array<Record<string, any>>> =>
  page.evaluate(() => (window as unknown as { __recorded: Array<Record<string, any>> }).__recorded)

/** The stand-in has run: `_hsq` is HubSpot's. */
export const hubspotLoaded = (page: Page) =>
  page.waitForFunction(() => {
    const q = (window as unknown as { _hsq?: { push: unknown } })._hsq
    return !!q && q.push !== Array.prototype.push
  })
