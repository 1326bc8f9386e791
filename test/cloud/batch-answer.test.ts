// @vitest-environment node
// How a batch answer becomes one outcome per input (src/node/batch-answer.ts), on answers the
// stand-in does not give because HubSpot's contract does not describe them (a 207 from the event
// batch endpoint) or gives only in other shapes: the plugin must still read them truthfully.
import { describe, expect, it } from 'vitest'
import { deliverBatch, recordIds, type BatchSpec } from '../../src/node/batch-answer'
import { HubSpotApiError, type HttpResponse } from '../../src/node/http'

function spec(answers: Array<HttpResponse | HubSpotApiError>, sent: string[][]): BatchSpec<string> {
  return {
    what: 'item',
    send: (items) => {
      sent.push(items)
      const answer = answers.shift()!
      return answer instanceof HubSpotApiError ? Promise.reject(answer) : Promise.resolve(answer)
    },
    names: (items) => ({ ids: items }),
    idsOf: (response, items) => recordIds(response.body, items.length),
  }
}

const refusal = (body: unknown) =>
  new HubSpotApiError(400, 'HubSpot POST /x answered 400', undefined, 'VALIDATION_ERROR', body)

describe('batch answers', () => {
  it('a 207 from the event batch endpoint (off HubSpot’s contract) still fails only the events its errors name by index', async () => {
    const sent: string[][] = []
    const answer = {
      status: 207,
      body: { status: 'COMPLETE', errors: [{ message: 'bad one', context: { index: ['1'] } }] },
    }
    const outcomes = await deliverBatch({ ...spec([answer], sent), names: () => ({}) }, ['a', 'b', 'c'])
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true])
    expect(sent).toHaveLength(1)
  })

  it('a 200 that lists errors (as the associations API answers) fails the inputs they name by context entries', async () => {
    const answer = {
      status: 200,
      body: { results: [], errors: [{ message: 'no such contact', context: { from: ['7'], to: ['9'] } }] },
    }
    const outcomes = await deliverBatch(
      {
        ...spec([answer], []),
        names: () => ({
          context: [
            { from: '7', to: '8' },
            { from: '7', to: '9' },
          ],
        }),
      },
      ['x', 'y'],
    )
    expect(outcomes.map((o) => o.ok)).toEqual([true, false])
  })

  it('a refused event batch (400) naming some inputs: those fail, the others go again together, once', async () => {
    const sent: string[][] = []
    const refused = refusal({
      message: 'invalid',
      category: 'VALIDATION_ERROR',
      errors: [{ message: 'bad', context: { index: ['0'] } }],
    })
    const outcomes = await deliverBatch({ ...spec([refused, { status: 204, body: null }], sent), names: () => ({}) }, [
      'a',
      'b',
      'c',
    ])
    expect(outcomes.map((o) => o.ok)).toEqual([false, true, true])
    expect(sent).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
    ])
  })

  it("delivered inputs carry the record ID HubSpot gave them, matched by objectWriteTraceId, else by the caller's key", async () => {
    const body = {
      results: [
        { id: '11', objectWriteTraceId: '1' },
        { id: '10', properties: { domain: 'a.com' } },
      ],
    }
    expect(recordIds(body, 2, (r) => ((r.properties as { domain?: string })?.domain === 'a.com' ? 0 : -1))).toEqual([
      '10',
      '11',
    ])
    const outcomes = await deliverBatch(spec([{ status: 200, body }], []), ['a', 'b'])
    expect(outcomes).toEqual([{ ok: true }, { ok: true, id: '11' }])
  })
})
