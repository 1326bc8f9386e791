import { call, expect, expectHits, hubspotLoaded, openScenario, recorded, test } from './fixtures'

const PAGE = '/e2e/pages/scenario.html'

test('identify sends nothing by itself; its traits then ride on every later hit of the page', async ({
  page,
  hits,
}) => {
  await openScenario(page)
  await hubspotLoaded(page)
  await call(page, 'identify', 'user-1', { email: 'alex@example.com', firstName: 'Alex', 'Favorite Color': ' blue ' })
  await expectHits(hits, [{ kind: 'pageView', identity: null }])
  await call(page, 'track', 'Signed Up')
  await call(page, 'track', 'Upgraded')
  const identity = { email: 'alex@example.com', firstname: 'Alex', favorite_color: 'blue' }
  await expectHits(hits, [
    { kind: 'pageView', path: PAGE, identity: null },
    { kind: 'customEvent', name: 'pe1234567_signed_up', identity },
    { kind: 'customEvent', name: 'pe1234567_upgraded', identity },
  ])
})

test('identify before hubspot.js loads travels with the automatic initial view', async ({ page, hits, hubspot }) => {
  const release = hubspot.hold()
  await openScenario(page)
  await call(page, 'identify', 'alex@example.com', { lastName: 'Keener' })
  release()
  await hubspotLoaded(page)
  await expectHits(hits, [
    { kind: 'pageView', path: PAGE, identity: { lastname: 'Keener', email: 'alex@example.com' } },
  ])
})

test('identify traits arrive with the next SPA page view', async ({ page, hits }) => {
  await openScenario(page)
  await hubspotLoaded(page)
  await call(page, 'identify', { email: 'alex@example.com', plan: 'pro' })
  await page.evaluate(() => history.pushState(null, '', '/welcome'))
  await call(page, 'page')
  await expectHits(hits, [
    { kind: 'pageView', path: PAGE, identity: null },
    { kind: 'pageView', path: '/welcome', identity: { email: 'alex@example.com', plan: 'pro' } },
  ])
})

test("custom behavioral event names and the seed's hs_* properties", async ({ page, hits }) => {
  await openScenario(page, {
    settings: { events: { 'Order Completed': { name: 'pe1234567_purchase', properties: { total: 'amount' } } } },
  })
  await hubspotLoaded(page)
  await call(
    page,
    'track',
    'Viewed Asset',
    {
      assetType: 'pdf',
      hsAssetDescription: 'Price list',
      campaignId: 'spring',
      elementClass: 'cta',
      hsElementId: 'download',
    },
    { context: { device: { name: 'Pixel 9' }, traits: { address: { city: 'Paris', country: 'FR' } } } },
  )
  await call(page, 'track', 'order completed', { total: 99.5 })
  await expectHits(hits, [
    { kind: 'pageView' },
    {
      kind: 'customEvent',
      name: 'pe1234567_viewed_asset',
      properties: {
        hs_asset_description: 'Price list',
        hs_asset_type: 'pdf',
        hs_campaign_id: 'spring',
        hs_element_class: 'cta',
        hs_element_id: 'download',
        hs_city: 'Paris',
        hs_country: 'FR',
        hs_device_name: 'Pixel 9',
      },
    },
    { kind: 'customEvent', name: 'pe1234567_purchase', properties: { amount: '99.5' } },
  ])
})

test('a track with integrations HubSpot false reaches the other destination only', async ({ page, hits }) => {
  await openScenario(page)
  await hubspotLoaded(page)
  await call(page, 'track', 'Private', {}, { integrations: { HubSpot: false } })
  await expectHits(hits, [{ kind: 'pageView' }])
  expect((await recorded(page)).map((e) => e.event ?? e.type)).toEqual(['page', 'Private'])
})

test("hubspotUtk() puts the stand-in's hubspotutk cookie into context.traits.utk of later events", async ({ page }) => {
  await openScenario(page, { utk: true })
  await hubspotLoaded(page)
  await call(page, 'track', 'After Cookie')
  const cookie = await page.evaluate(() => /(?:^|; )hubspotutk=([0-9a-f]{32})/.exec(document.cookie)?.[1])
  expect(cookie).toMatch(/^[0-9a-f]{32}$/)
  const events = await recorded(page)
  expect(events.at(-1)).toMatchObject({ event: 'After Cookie', context: { traits: { utk: cookie } } })
})

test("unmappedEvents 'legacy' sends HubSpot's trackEvent with the revenue", async ({ page, hits }) => {
  await openScenario(page, { settings: { unmappedEvents: 'legacy' } })
  await hubspotLoaded(page)
  await call(page, 'track', 'Bought Item', { revenue: 12.5 })
  await expectHits(hits, [{ kind: 'pageView' }, { kind: 'legacyEvent', id: 'Bought Item', value: '12.5' }])
})
