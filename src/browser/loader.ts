/** The id HubSpot's own embed code gives its script, and checks to avoid a second copy. */
export const LOADER_ID = 'hs-script-loader'

const HUBSPOT_HOST = /(^|\.)(hs-scripts\.com|hs-analytics\.net)$/

function hostOf(src: string, base: string): string {
  try {
    return new URL(src, base).hostname
  } catch {
    return ''
  }
}

/**
 * True when the page has a script from `src`; with `anyHubSpot`, also when it has HubSpot's
 * tracking script from anywhere (the site kept HubSpot's embed, or another copy of us ran).
 */
export function hasScript(doc: Document, src: string, anyHubSpot = false): boolean {
  if (anyHubSpot && doc.getElementById(LOADER_ID)) return true
  const wanted = new URL(src, doc.baseURI).href
  return Array.from(doc.scripts).some(
    (s) => s.src === wanted || (anyHubSpot && HUBSPOT_HOST.test(hostOf(s.src, doc.baseURI))),
  )
}

/** Adds an async script (it never blocks parsing or rendering), unless the page has it. */
export function injectScript(doc: Document, src: string, nonce: string | null, id?: string): HTMLScriptElement | null {
  if (hasScript(doc, src, !!id)) return null
  const script = doc.createElement('script')
  script.setAttribute('async', '')
  script.src = src
  if (id) script.id = id
  if (nonce) script.nonce = nonce
  ;(doc.head || doc.body || doc.documentElement).appendChild(script)
  return script
}
