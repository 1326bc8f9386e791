// @vitest-environment jsdom
// The CDN file and Segment's snippets: 4.x stubs have no `register`; 5.x ones do.
import { expect, it, vi } from 'vitest'
import { completeSnippet, NOT_NEXT } from '../src/browser/snippet'

/** A snippet stub as Segment's snippets build it: an array, with a factory for its methods. */
function stub(methods: string[]) {
  const analytics = [] as unknown as unknown[] & Record<string, unknown>
  analytics.factory = (method: string) =>
    function (...args: unknown[]) {
      analytics.push([method, ...args])
      return analytics
    }
  for (const method of methods) analytics[method] = (analytics.factory as (m: string) => unknown)(method)
  return analytics
}

it("a snippet 4.x stub gets a register that queues the call like the 5.x stub's, after the snippet's own page()", () => {
  const analytics = stub(['page', 'track', 'identify'])
  ;(analytics.page as () => void)()
  completeSnippet({ analytics })
  const plugin = { name: 'HubSpot' }
  expect((analytics.register as (p: unknown) => unknown)(plugin)).toBe(analytics)
  expect(Array.from(analytics)).toEqual([['page'], ['register', plugin]])
})

it('a stub without a factory gets one that pushes the call itself', () => {
  const analytics = [] as unknown as unknown[] & { register?: (p: unknown) => unknown }
  completeSnippet({ analytics })
  analytics.register!('p')
  expect(Array.from(analytics)).toEqual([['register', 'p']])
})

it('a 5.x stub, analytics-next itself, its { _cdn } setting and an empty page are left as they are, silently', () => {
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  const five = stub(['page', 'register'])
  const register = five.register
  for (const analytics of [five, { _cdn: 'https://cdn.example' }, { register() {}, initialize() {} }, undefined]) {
    completeSnippet({ analytics })
  }
  expect(five.register).toBe(register)
  expect(error).not.toHaveBeenCalled()
})

it('an analytics.js that is not analytics-next (no register) gets one console error naming the fix', () => {
  const error = vi.spyOn(console, 'error').mockImplementation(() => {})
  completeSnippet({ analytics: { initialize() {}, page() {} } })
  expect(error.mock.calls).toEqual([[NOT_NEXT]])
  expect(NOT_NEXT).toMatch(/snippet to 5\.x/)
})
