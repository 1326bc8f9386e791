import { DEV } from '../core/dev'
import { line } from './console'

type Call = (...args: unknown[]) => unknown

/** What a Segment snippet leaves in `window.analytics` before analytics.js arrives: an array of calls. */
interface SnippetStub extends Array<unknown> {
  register?: unknown
  factory?: (method: string) => Call
}

export const NOT_NEXT = line(
  DEV
    ? "window.analytics has no register(): this page's analytics.js is not analytics-next (Segment's analytics.js 2.0), " +
        'which analytics-next-hubspot needs. Update the Segment snippet to 5.x (Segment source > Settings > Analytics.js), then reload.'
    : 'window.analytics is not analytics-next: update the Segment snippet to 5.x',
  'install',
)

/**
 * Segment's snippet 4.x stub has no `register`, so `analytics.register(plugin)` after it
 * would throw. Gives the stub one that queues the call as the 5.x stub does: analytics-next
 * (which 4.x snippets load too) registers the plugin when it arrives, before it replays the
 * snippet's own `page()`. Anything else is left as it is; an analytics.js that is not
 * analytics-next gets one console error naming the fix.
 */
export function completeSnippet(win: { analytics?: unknown }): void {
  const analytics = win.analytics as SnippetStub | Record<string, unknown> | undefined
  if (!analytics || typeof analytics !== 'object' || typeof analytics.register === 'function') return
  if (Array.isArray(analytics)) {
    const stub = analytics
    stub.register =
      typeof stub.factory === 'function'
        ? stub.factory('register')
        : (...args: unknown[]) => (stub.push(['register', ...args]), stub)
  } else if (typeof analytics.initialize === 'function') console.error(NOT_NEXT)
}
