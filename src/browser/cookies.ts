/** HubSpot's visitor cookies: without them, the next page load is a new HubSpot visitor. */
export const VISITOR_COOKIES = ['hubspotutk', '__hstc', '__hssc', '__hssrc'] as const

/**
 * Deletes HubSpot's visitor cookies on this host and on every parent domain (HubSpot sets
 * them on the top-level domain it can reach). A few lines of `document.cookie`, so that
 * `import { hubspot }` still leaves js-cookie out of a site's bundle.
 */
export function clearVisitorCookies(doc: Document): void {
  const labels = doc.location?.hostname.split('.') ?? []
  const domains = ['', ...labels.slice(0, -1).map((_, i) => `; domain=.${labels.slice(i).join('.')}`)]
  for (const name of VISITOR_COOKIES)
    for (const domain of domains) doc.cookie = `${name}=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT${domain}`
}
