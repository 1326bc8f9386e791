// @vitest-environment node
// The contract checks themselves: the stand-in validates what it receives and what it answers
// against HubSpot's OpenAPI files, and a violation fails the test (expectContract).
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN, startHubSpotApi, type HubSpotApi, type HubSpotApiOptions } from './api-standin'
import { checkAnswer, contract, CONTRACT_DIR, CONTRACT_FILES, expectContract, matchOperation } from './contract'

let api: HubSpotApi | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function post(options: HubSpotApiOptions, path: string, body: unknown) {
  api = await startHubSpotApi(options)
  const response = await fetch(api.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: await response.text(), api }
}

describe("HubSpot's contract, checked by the stand-in", () => {
  it('records a request off the contract (a number as an event property value), and expectContract fails on it', async () => {
    const { api } = await post({}, '/events/v3/send', {
      eventName: 'pe1_x',
      email: 'a@example.com',
      properties: { n: 1 },
    })
    expect(api.violations).toEqual([
      expect.objectContaining({
        side: 'request',
        path: '/events/v3/send',
        message: expect.stringMatching(/\/properties\/n must be string/),
      }),
    ])
    expect(() => expectContract(api)).toThrow(/HubSpot contract violated:\nrequest POST \/events\/v3\/send: /)
  })

  it('finds an answer off the contract: a 207 from /events/v3/send/batch, which HubSpot documents as 204 only', async () => {
    // The stand-in never answers so (it refuses a batch with an invalid input, 400); the check itself:
    const matched = matchOperation(await contract(), 'POST', '/events/v3/send/batch')
    const multiStatus = { status: 'COMPLETE', results: [], numErrors: 1, errors: [{ message: 'x', context: {} }] }
    expect(checkAnswer(matched, { method: 'POST', path: '/events/v3/send/batch' }, 207, multiStatus)).toMatchObject({
      side: 'answer',
      status: 207,
      message: expect.stringMatching(/must have required property/),
    })
    expect(checkAnswer(matched, { method: 'POST', path: '/events/v3/send/batch' }, 204, undefined)).toBeNull()
  })

  it('records a request for an operation HubSpot does not have', async () => {
    const { api } = await post({}, '/crm/v3/objects/contacts/batch/merge-all', { inputs: [] })
    expect(api.violations).toMatchObject([{ side: 'request', message: 'no such operation in HubSpot’s contract' }])
  })

  it("answers 403 MISSING_SCOPES, as HubSpot's Error, to a token without any of the operation's scopes", async () => {
    const { status, body, api } = await post({ scopes: ['crm.objects.contacts.write'] }, '/events/v3/send', {
      eventName: 'pe1_x',
      email: 'a@example.com',
      properties: {},
    })
    expect(status).toBe(403)
    expect(JSON.parse(body)).toMatchObject({
      category: 'MISSING_SCOPES',
      errors: [{ context: { requiredScopes: ['analytics.behavioral_events.send'] } }],
    })
    expect(api.violations).toEqual([])
  })

  it('checks 2xx and error answers: a valid upsert (200) and a refused one (400) pass', async () => {
    const { api } = await post({}, '/crm/v3/objects/contacts/batch/upsert', {
      inputs: [{ id: 'a@example.com', idProperty: 'email', properties: { firstname: 'A' }, objectWriteTraceId: '0' }],
    })
    await fetch(api.url + '/crm/v3/objects/contacts/batch/upsert', {
      method: 'POST',
      headers: { authorization: `Bearer ${DEFAULT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ id: 'b@example.com', idProperty: 'email', properties: { nope: 'x' } }] }),
    })
    expect(api.requests.map((r) => r.status)).toEqual([200, 400])
    expect(api.violations).toEqual([])
  })

  it("leaves out, by name, what the contract does not describe: HubSpot's documented 429 body and the gateway's HTML pages", async () => {
    const { status, api } = await post({ faults: { next: 1, kinds: [429] } }, '/events/v3/send', {
      eventName: 'pe1_x',
      email: 'a@example.com',
      properties: {},
    })
    expect(status).toBe(429)
    expect(api.violations).toEqual([])
  })
})

describe('the vendored contract', () => {
  it("is HubSpot's six files, unchanged: the SHA-256 sums in openapi/README.md", () => {
    const readme = readFileSync(join(CONTRACT_DIR, 'README.md'), 'utf8')
    for (const file of CONTRACT_FILES) {
      const sum = createHash('sha256')
        .update(readFileSync(join(CONTRACT_DIR, file)))
        .digest('hex')
      expect(readme).toMatch(new RegExp(`\\| \`${file}\` \\| .+ \\| \`${sum}\` \\|`))
    }
  })
})
