import { call, expect, expectHits, hubspotLoaded, openScenario, test } from './fixtures'

const PAGE = '/e2e/pages/scenario.html'

test('page() before hubspot.js loads: exactly one view for the initial page', async ({ page, hits, hubspot }) => {
  const release = hubspot.hold()
  await openScenario(page)
  // The plugin has handled the page call (the other destination has it too) while hubspot.js is held.
  await expect.poll(() => page.evaluate(() => (window as any).__recorded.length)).toBe(1)
  expect(await page.evaluate(() => Array.isArray((window as any)._hsq))).toBe(true)
  release()
  await hubspotLoaded(page)
  await expectHits(hits, [{ kind: 'pageView', path: PAGE }])
})

test('page() after hubspot.js loads: still exactly one view for the initial page', async ({ page, hits }) => {
  await openScenario(page, { initialPage: false })
  // The first event requests hubspot.js; the page call comes after it has loaded.
  await call(page, 'track', 'Opened')
  await hubspotLoaded(page)
  await call(page, 'page')
  await expectHits(hits, [
    { kind: 'customEvent', name: 'pe1234567_opened' },
    { kind: 'pageView', path: PAGE },
  ])
})

test('with consent ignored (consentCategories: []), hubspot.js loads at once and records the view by itself', async ({
  page,
  hits,
}) => {
  await openScenario(page, { initialPage: false, settings: { consentCategories: [] } })
  await hubspotLoaded(page)
  await call(page, 'page')
  await expectHits(hits, [{ kind: 'pageView', path: PAGE }])
})

test('a delayed hubspot.js (800 ms) still gives one initial view, with the query string', async ({
  page,
  hits,
  hubspot,
}) => {
  const release = hubspot.hold()
  setTimeout(release, 800)
  await openScenario(page, { path: `${PAGE}?utm_source=mail` })
  await hubspotLoaded(page)
  await expectHits(hits, [{ kind: 'pageView', path: `${PAGE}?utm_source=mail` }])
})

test('each SPA navigation gives one view with its path and query', async ({ page, hits }) => {
  await openScenario(page)
  await hubspotLoaded(page)
  await page.evaluate(() => history.pushState(null, '', '/app/settings?tab=2'))
  await call(page, 'page')
  await page.evaluate(() => history.pushState(null, '', '/app/billing'))
  await call(page, 'page')
  await expectHits(hits, [
    { kind: 'pageView', path: PAGE },
    { kind: 'pageView', path: '/app/settings?tab=2' },
    { kind: 'pageView', path: '/app/billing' },
  ])
})

test('a navigation before hubspot.js loads is not lost: two page calls give two views', async ({
  page,
  hits,
  hubspot,
}) => {
  const release = hubspot.hold()
  await openScenario(page)
  await page.evaluate(() => history.pushState(null, '', '/app/next'))
  await call(page, 'page')
  release()
  await hubspotLoaded(page)
  await expectHits(hits, [
    { kind: 'pageView', path: PAGE },
    { kind: 'pageView', path: '/app/next' },
  ])
})

test('integrations HubSpot false on a page call sends nothing to HubSpot', async ({ page, hits }) => {
  await openScenario(page)
  await hubspotLoaded(page)
  await page.evaluate(() => history.pushState(null, '', '/private'))
  await call(page, 'page', {}, { integrations: { HubSpot: false } })
  await expectHits(hits, [{ kind: 'pageView', path: PAGE }])
})

test('HubSpot disabled for the whole instance: hubspot.js is not loaded, so no view is recorded', async ({
  page,
  hits,
  hubspot,
}) => {
  await openScenario(page, { integrations: { HubSpot: false } })
  await call(page, 'track', 'Anything')
  await expectHits(hits, [])
  expect(hubspot.requests).toEqual([])
  expect((await page.evaluate(() => (window as any).__recorded)).map((e: { type: string }) => e.type)).toEqual([
    'page',
    'track',
  ])
})

test('region eu1 loads from the EU host', async ({ page, hits, hubspot }) => {
  await openScenario(page, { settings: { region: 'eu1' } })
  await hubspotLoaded(page)
  await expectHits(hits, [{ kind: 'pageView', path: PAGE }])
  expect(hubspot.requests).toEqual(['https://js-eu1.hs-scripts.com/1234567.js'])
})

test('scriptUrl loads a self-hosted copy instead', async ({ page, hits, hubspot }) => {
  await openScenario(page, { settings: { scriptUrl: '/hubspot/1234567.js' } })
  await hubspotLoaded(page)
  await expectHits(hits, [{ kind: 'pageView', path: PAGE }])
  expect(hubspot.requests).toEqual([])
})
