import type { Page } from '@playwright/test'
import { call, expect, expectHits, hubspotLoaded, loaded, recorded, test, type Hit } from './fixtures'

const PAGE = '/e2e/pages/bundled.html'

async function open(page: Page, path: string, config: Record<string, unknown>) {
  await page.addInitScript((c) => {
    ;(window as unknown as { __e2e: unknown }).__e2e = c
  }, config)
  await page.goto(path, { waitUntil: 'domcontentloaded' })
  await loaded(page)
}

const setConsent = (page: Page, categories: Record<string, boolean>) =>
  page.evaluate((c) => (window as any).__setConsent(c), categories)

test.describe("under Segment's consent wrapper (createWrapper)", () => {
  test('without consent hubspot.js is not loaded and nothing reaches HubSpot; after consent it loads and events flow', async ({
    page,
    hits,
    hubspot,
  }) => {
    await open(page, PAGE, { consent: { analytics: false, advertising: true } })
    await call(page, 'track', 'Before Consent')
    await page.waitForTimeout(300)
    expect(hubspot.requests).toEqual([])
    await expectHits(hits, [])
    expect((await recorded(page)).map((e) => e.event ?? e.type)).toEqual(['page', 'Before Consent'])

    await setConsent(page, { analytics: true })
    await hubspotLoaded(page)
    await call(page, 'track', 'After Consent')
    await expectHits(hits, [
      { kind: 'pageView', path: PAGE },
      { kind: 'customEvent', name: 'pe1234567_after_consent' },
    ])
    expect(hubspot.requests).toEqual(['https://js.hs-scripts.com/1234567.js'])
  })

  test('revoking consent at runtime revokes HubSpot cookies and stops the hits', async ({ page, hits }) => {
    await open(page, PAGE, { consent: { analytics: true } })
    await hubspotLoaded(page)
    await call(page, 'track', 'Consented')
    await expectHits(hits, [{ kind: 'pageView' }, { kind: 'customEvent', name: 'pe1234567_consented' }])
    expect(await page.evaluate(() => document.cookie)).toMatch(/hubspotutk=/)

    await setConsent(page, { analytics: false })
    await call(page, 'track', 'After Revocation')
    await call(page, 'identify', { email: 'alex@example.com' })
    // HubSpot's revocation beacon, then nothing: doNotTrack stops every beacon.
    await expectHits(hits, [
      { kind: 'pageView' },
      { kind: 'customEvent', name: 'pe1234567_consented' },
      { kind: 'revocation', revoked: true },
    ])
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/hubspotutk=/)
  })
})

test.describe("consent managers' own category names, and plugin.revokeConsent(), under the real consent wrapper", () => {
  test('revokeConsent() lasts until grantConsent(), although the wrapper keeps stamping consent as granted', async ({
    page,
    hits,
  }) => {
    await open(page, PAGE, { consent: { analytics: true } })
    await hubspotLoaded(page)
    await call(page, 'track', 'Before')
    await page.evaluate(() => (window as any).__hubspot.revokeConsent())
    await call(page, 'track', 'While Revoked')
    await call(page, 'page')
    const revoked: Array<Partial<Hit>> = [
      { kind: 'pageView' },
      { kind: 'customEvent', name: 'pe1234567_before' },
      { kind: 'revocation', revoked: true },
    ]
    await expectHits(hits, revoked)
    expect((await recorded(page)).at(-2)).toMatchObject({
      context: { consent: { categoryPreferences: { analytics: true } } },
    })
    await page.evaluate(() => (window as any).__hubspot.grantConsent())
    await call(page, 'track', 'After Grant')
    await expectHits(hits, [...revoked, { kind: 'customEvent', name: 'pe1234567_after_grant' }])
  })

  test("OneTrust's C0002/C0004 with the default consentCategories: one warning naming them and the setting; with ['C0002'] HubSpot loads", async ({
    page,
    hits,
    guard,
    hubspot,
  }) => {
    await open(page, PAGE, { consent: { C0001: true, C0002: true, C0004: true } })
    await call(page, 'track', 'Hidden')
    await expect
      .poll(() => guard.warnings.filter((w) => w.startsWith('[HubSpot]')))
      .toEqual([
        expect.stringMatching(/C0001, C0002, C0004, none of consentCategories \(analytics\).*consentCategories/),
      ])
    expect(hubspot.requests).toEqual([])

    await open(page, PAGE, { consent: { C0001: true, C0002: true }, settings: { consentCategories: ['C0002'] } })
    await hubspotLoaded(page)
    await expectHits(hits, [{ kind: 'pageView', path: PAGE }])
  })
})

test.describe('a strict Content-Security-Policy (script-src nonce only)', () => {
  const withCsp = async (page: Page) =>
    page.route('**/e2e/pages/csp.html', async (route) => {
      const response = await route.fetch()
      await route.fulfill({
        response,
        headers: { ...response.headers(), 'content-security-policy': "script-src 'nonce-e2enonce'" },
      })
    })

  test('with scriptNonce, the injected hubspot.js runs', async ({ page, hits }) => {
    await withCsp(page)
    await open(page, '/e2e/pages/csp.html', { settings: { scriptNonce: 'e2enonce' } })
    await hubspotLoaded(page)
    await call(page, 'track', 'Under CSP')
    await expectHits(hits, [{ kind: 'pageView' }, { kind: 'customEvent', name: 'pe1234567_under_csp' }])
  })

  test('without scriptNonce, hubspot.js is refused and the plugin warns once, without crashing', async ({
    page,
    hits,
    guard,
  }) => {
    guard.allowResourceErrors()
    await withCsp(page)
    await open(page, '/e2e/pages/csp.html', {})
    await expect
      .poll(() => guard.warnings.filter((w) => w.startsWith('[HubSpot]')))
      .toEqual([expect.stringContaining('Content-Security-Policy')])
    await call(page, 'track', 'Still Works')
    expect((await recorded(page)).map((e) => e.event ?? e.type)).toEqual(['page', 'Still Works'])
    await expectHits(hits, [])
  })
})
