import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, openScenario, recorded, test, type Hit } from './fixtures'
import { ROOT } from './readme'

const FORMS_STANDIN = readFileSync(`${ROOT}/demo/hubspot-forms-standin.js`, 'utf8')
const FORM_ID = '8f3c2a1e-5b7d-4c9e-a2f1-0d6e4b8c9a17'
const V4_FORM_ID = 'c2a7e9d4-1f6b-4e3a-8d25-9b0c7f4e6a31'
const NOT_TO_HUBSPOT = { HubSpot: false, 'HubSpot Web (Actions)': false, 'HubSpot Cloud Mode (Actions)': false }

/** A page of a HubSpot form host (or of another site) with one legacy form in it, as a share page or an iframe embed. */
const framePage = (formId: string) => `<!doctype html><html><body><div id="f"></div>
<script src="/standin.js"></script>
<script>
  hubspotFormsStandin.define('${formId}', { fields: [{ name: 'email', type: 'email' }, { name: 'firstname' }] })
  hbspt.forms.create({ portalId: '1234567', formId: '${formId}', target: '#f' })
</script></body></html>`

/** Serves `framePage` and the stand-in on a routed https origin. */
async function host(page: Page, origin: string, formId: string) {
  await page.route(`${origin}/**`, (route) => {
    const path = new URL(route.request().url()).pathname
    if (path === '/standin.js') return route.fulfill({ contentType: 'text/javascript', body: FORMS_STANDIN })
    if (path === '/__hubspot/hits') return route.fulfill({ status: 204 })
    return route.fulfill({ contentType: 'text/html', body: framePage(formId) })
  })
}

/**
 * The scenario page (hubspot() and a recording destination) with hubspotForms(), from the CDN's
 * forms file loaded after the core one, and HubSpot's forms stand-in.
 */
async function withForms(page: Page) {
  await openScenario(page)
  await page.addScriptTag({ url: '/dist/analytics-next-hubspot-forms.iife.min.js' })
  await page.evaluate(async () => {
    const w = window as unknown as Record<string, any>
    await w.__analytics.register(w.AnalyticsNextHubSpot.hubspotForms())
  })
  await page.addScriptTag({ url: '/demo/hubspot-forms-standin.js' })
}

/** What the other destination received from the forms (the calls sent past HubSpot). */
const fromForms = async (page: Page) =>
  (await recorded(page))
    .filter((e) => e.integrations?.HubSpot === false)
    .map((e) => ({ type: e.type, event: e.event, traits: e.traits, properties: e.properties }))

/** Waits until the other destination has received `count` calls from the forms. */
const received = (page: Page, count: number) =>
  page.waitForFunction(
    (n) =>
      (window as unknown as { __recorded: Array<{ integrations?: { HubSpot?: boolean } }> }).__recorded.filter(
        (e) => e.integrations?.HubSpot === false,
      ).length >= n,
    count,
  )

/** The tracking stand-in's hits: page views only, never an event or an identity from a form. */
const trackerHits = async (hits: () => Promise<Hit[]>) =>
  (await hits()).filter((h) => (h.kind as string) !== 'formSubmission').map((h) => [h.kind, h.identity])

test('the demo: a submission of either HubSpot form shows up in every panel, and never in _hsq', async ({
  page,
  hits,
}) => {
  await page.goto('/')
  await expect(page.locator('#status')).toHaveText('ready')
  await expect(page.locator('#forms-card')).toHaveAttribute('data-ready', 'true')

  // The first page's own commands (how many depends on the page-view rule, not on forms).
  await expect.poll(async () => (await trackerHits(hits)).length).toBe(1)
  const commandsBefore = await page.locator('#commands .command').count()

  await page.locator('#legacy-form button').click()
  await expect(page.locator('#legacy-form .submitted-message')).toBeVisible()
  await expect(page.locator('#hits .hit[data-kind="formSubmission"]')).toHaveCount(1)
  await expect(page.locator('#other-destinations .hit')).toHaveCount(2)
  await expect(page.locator('#other-destinations .hit').first()).toContainText('Form Submitted')
  await expect(page.locator('#other-destinations .hit').last()).toContainText('jordan@example.com')
  await expect(page.locator('#explain li').first()).toContainText('nothing goes to _hsq')

  await page.fill('#v4-form input[name="0-1/email"]', 'sam@example.com')
  await page.locator('#v4-form button').click()
  await expect(page.locator('#hits .hit[data-kind="formSubmission"]')).toHaveCount(2)
  await expect(page.locator('#other-destinations .hit')).toHaveCount(4)
  await expect(page.locator('#other-destinations .hit').nth(1)).toContainText('sam@example.com')

  // HubSpot's forms API got both; its tracker and _hsq got nothing from them.
  await expect.poll(async () => (await hits()).filter((h) => (h.kind as string) === 'formSubmission').length).toBe(2)
  expect(await trackerHits(hits)).toEqual([['pageView', null]])
  await expect(page.locator('#commands .command')).toHaveCount(commandsBefore)
  await expect(page.locator('#commands .command[data-command="identify"]')).toHaveCount(0)
  await expect(page.locator('#commands .command[data-command="trackCustomBehavioralEvent"]')).toHaveCount(0)
})

test('both kinds in the page reach the other destination as identify and track, never HubSpot; a submission reported both ways counts once', async ({
  page,
  hits,
}) => {
  await withForms(page)
  await page.evaluate(
    ([legacy, v4]) => {
      const w = window as unknown as Record<string, any>
      document.body.insertAdjacentHTML(
        'beforeend',
        `<div id="form"></div><div class="hs-form-frame" data-form-id="${v4}"></div>`,
      )
      w.hubspotFormsStandin.define(legacy, {
        fields: [
          { name: 'email', type: 'email', value: ' alex@example.com ' },
          { name: 'firstname', value: 'Alex' },
        ],
      })
      w.hubspotFormsStandin.define(v4, { fields: [{ name: 'email', type: 'email', value: 'sam@example.com' }] })
      w.hbspt.forms.create({ portalId: '1234567', formId: legacy, target: '#form' })
      w.hubspotFormsStandin.renderFrames()
    },
    [FORM_ID, V4_FORM_ID],
  )
  await page.locator('#form button').click()
  await received(page, 2)
  const [identify, track] = await fromForms(page)
  expect(identify).toMatchObject({ type: 'identify', traits: { email: 'alex@example.com', firstname: 'Alex' } })
  expect(track).toMatchObject({
    type: 'track',
    event: 'Form Submitted',
    properties: { form_id: FORM_ID, page_path: '/e2e/pages/scenario.html', page_title: 'Scenario' },
  })
  for (const event of (await recorded(page)).filter((e) => e.integrations?.HubSpot === false)) {
    expect(event.integrations).toMatchObject(NOT_TO_HUBSPOT)
  }

  await page.locator('.hs-form-frame button').click()
  await received(page, 4)
  expect((await fromForms(page))[2]).toMatchObject({ type: 'identify', traits: { email: 'sam@example.com' } })
  expect((await fromForms(page))[3].properties).toMatchObject({ form_id: V4_FORM_ID })

  // The same submission reported again as a legacy message (a page with both kinds of embed).
  await page.evaluate((id) => {
    const data = { submissionValues: { email: 'sam@example.com' } }
    window.postMessage({ type: 'hsFormCallback', eventName: 'onFormSubmitted', id, data }, '*')
  }, V4_FORM_ID)
  await page.waitForTimeout(200)
  expect(await fromForms(page)).toHaveLength(4)
  expect(await trackerHits(hits)).toEqual([['pageView', null]])
})

test("a legacy form in an iframe on HubSpot's form host counts; the same message from another origin does not", async ({
  page,
}) => {
  await host(page, 'https://forms.hsforms.com', FORM_ID)
  await host(page, 'https://forms.evil.example', 'aaaaaaaa-1111-4222-8333-444444444444')
  await withForms(page)
  await page.evaluate(() => {
    for (const [id, src] of [
      ['evil', 'https://forms.evil.example/embed'],
      ['hubspot', 'https://forms.hsforms.com/embed'],
    ]) {
      document.body.insertAdjacentHTML('beforeend', `<iframe id="${id}" src="${src}"></iframe>`)
    }
  })
  const evil = page.frameLocator('#evil')
  await evil.locator('input[name="email"]').fill('mallory@example.com')
  await evil.locator('button').click()
  await expect(evil.locator('.submitted-message')).toBeVisible()
  const hubspot = page.frameLocator('#hubspot')
  await hubspot.locator('input[name="email"]').fill('alex@example.com')
  await hubspot.locator('button').click()
  await received(page, 2)
  await page.waitForTimeout(200)
  const calls = await fromForms(page)
  expect(calls.map((c) => c.type)).toEqual(['identify', 'track'])
  expect(calls[0].traits).toMatchObject({ email: 'alex@example.com' })
  expect(JSON.stringify(calls)).not.toContain('mallory')
})
