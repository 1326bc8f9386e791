import { call, expect, expectHits, hubspotLoaded, openScenario, test } from './fixtures'

// The device-mode rules of issue 9, in Chromium against the stand-in of HubSpot's real
// tracker: what reaches track.hubspot.com, decoded from its beacons (values are text).

const PAGE = '/e2e/pages/scenario.html'

test('numbers and booleans are sent as their text ("0", "false", "12.5") in events, legacy events and identify; nested objects are flattened', async ({
  page,
  hits,
}) => {
  await openScenario(page, { settings: { unmappedEvents: 'legacy', events: { Bought: 'pe1234567_bought' } } })
  await hubspotLoaded(page)
  await call(page, 'identify', { email: 'alex@example.com', seats: 0, trial: false, plan: { name: 'pro' } })
  await call(page, 'track', 'Bought', {
    quantity: 0,
    gift: false,
    price: 12.5,
    sides: { item1: 'rice' },
    items: [{ sku: 1 }],
  })
  await call(page, 'track', 'Refunded', { revenue: 0 })
  const identity = { email: 'alex@example.com', seats: '0', trial: 'false', plan_name: 'pro' }
  await expectHits(hits, [
    { kind: 'pageView' },
    {
      kind: 'customEvent',
      name: 'pe1234567_bought',
      properties: { quantity: '0', gift: 'false', price: '12.5', sides_item1: 'rice' },
      identity,
    },
    { kind: 'legacyEvent', id: 'Refunded', value: '0', identity },
  ])
})

for (const build of ['1.398', '2023']) {
  test(`two page() calls before hubspot.js loads keep their own path and title, with no double count (build ${build})`, async ({
    page,
    hits,
    hubspot,
  }) => {
    await page.addInitScript(
      (b) => ((window as unknown as { __hubspotStandinBuild: string }).__hubspotStandinBuild = b),
      build,
    )
    const release = hubspot.hold()
    await openScenario(page)
    await page.evaluate(() => {
      history.pushState(null, '', '/app/next')
      document.title = 'Next'
    })
    await call(page, 'page')
    // Identical events queued together: HubSpot's tracker sends one URL once a millisecond.
    await call(page, 'track', 'Added', { sku: 'A1' })
    await call(page, 'track', 'Added', { sku: 'A1' })
    release()
    await hubspotLoaded(page)
    expect(await page.evaluate(() => (window as any).__hubspotStandin.build)).toBe(build)
    await expect.poll(async () => (await hits()).length).toBe(4)
    const views = (await hits()).filter((h) => h.kind === 'pageView').map((h) => [h.path, h.title])
    expect(views.sort()).toEqual([
      ['/app/next', 'Next'],
      [PAGE, 'Scenario'],
    ])
    expect((await hits()).filter((h) => h.kind === 'customEvent')).toHaveLength(2)
    await page.waitForTimeout(300)
    expect(await hits()).toHaveLength(4)
  })
}

test('explicit path wins: context.page.path given to page() after a navigation is the view HubSpot records; pe{hubId}_ names pass through unchanged', async ({
  page,
  hits,
}) => {
  await openScenario(page)
  await hubspotLoaded(page)
  await page.evaluate(() => history.pushState(null, '', '/menu'))
  await call(page, 'page', 'Shop', 'Fried', {}, { context: { page: { path: '/fried-chicken' } } })
  await call(page, 'page', { path: '/virtual/cart' })
  await call(page, 'track', 'pe1234567_order_completed', { tags: ['a', 'b'] })
  await expectHits(hits, [
    { kind: 'pageView', path: PAGE },
    { kind: 'pageView', path: '/fried-chicken' },
    { kind: 'pageView', path: '/virtual/cart' },
    { kind: 'customEvent', name: 'pe1234567_order_completed', properties: { tags: 'a;b' } },
  ])
})

test('ready(): analytics.ready() waits until hubspot.js has taken over _hsq and, with loadFormsSdk, hbspt.forms exists', async ({
  page,
  hubspot,
  context,
}) => {
  let releaseForms!: () => void
  const forms = new Promise<void>((resolve) => (releaseForms = resolve))
  await context.route('https://js.hsforms.net/forms/v2.js', async (route) => {
    await forms
    await route.fulfill({
      contentType: 'text/javascript',
      body: 'window.hbspt = { forms: { create: function (o) { window.__created = o } } }',
    })
  })
  const release = hubspot.hold()
  await openScenario(page, { settings: { loadFormsSdk: true } })
  await page.evaluate(() => {
    const w = window as unknown as {
      __analytics: { ready(cb: () => void): Promise<unknown> }
      __ready: boolean
      hbspt: any
    }
    void w.__analytics.ready(() => {
      w.__ready = true
      w.hbspt.forms.create({ formId: 'f1' })
    })
  })
  const isReady = () => page.evaluate(() => (window as unknown as { __ready?: boolean }).__ready === true)
  await page.waitForTimeout(200)
  expect(await isReady()).toBe(false)
  release()
  await hubspotLoaded(page)
  await page.waitForTimeout(200)
  expect(await isReady()).toBe(false)
  releaseForms()
  await expect.poll(isReady).toBe(true)
  expect(await page.evaluate(() => (window as unknown as { __created: unknown }).__created)).toEqual({ formId: 'f1' })
})

test('reset(): after analytics.reset() nothing carries the previous email, and the next page load is a new HubSpot visitor', async ({
  page,
  hits,
}) => {
  await openScenario(page)
  await hubspotLoaded(page)
  await call(page, 'identify', { email: 'alex@example.com' })
  await call(page, 'track', 'Signed In')
  await expectHits(hits, [{ kind: 'pageView' }, { kind: 'customEvent', identity: { email: 'alex@example.com' } }])
  const before = (await hits())[0].utk
  await page.evaluate(() => (window as unknown as { __analytics: { reset(): void } }).__analytics.reset())
  expect(await page.evaluate(() => document.cookie)).not.toMatch(/hubspotutk|__hstc|__hssc|__hssrc/)
  await call(page, 'track', 'Signed Out')
  await call(page, 'page')
  await page.reload({ waitUntil: 'domcontentloaded' })
  await hubspotLoaded(page)
  await call(page, 'track', 'Next Load')
  const sent = await expectHits(hits, [
    { kind: 'pageView' },
    { kind: 'customEvent', name: 'pe1234567_signed_in' },
    { kind: 'pageView', identity: null },
    { kind: 'customEvent', name: 'pe1234567_next_load', identity: null },
  ])
  expect(sent[2].utk).not.toBe(before)
  expect(sent.slice(2).every((h) => !h.raw.includes('alex'))).toBe(true)
})
