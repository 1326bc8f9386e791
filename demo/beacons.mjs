// Decodes the beacon URLs HubSpot's tracker sends (and demo/hubspot-standin.js models) into
// one plain object per hit: what HubSpot received, as text, exactly as the URL carried it.
//
//   https://track.hubspot.com/__ptq.gif?a=…&k=1&po=…&t=…   → { kind: 'pageView', path, title, … }
//   …/__ptq.gif?k=3&n=<id>&m=<value>                       → { kind: 'legacyEvent', id, value }
//   …/__ptq.gif?k=30&rv=1                                  → { kind: 'revocation' }
//   …/__ptbe.gif?n=<name>&_<property>=<value>              → { kind: 'customEvent', name, properties }
//
// Used by demo/server.mjs (its collector), the e2e fixtures and the stand-in's tests.

const KINDS = { 1: 'pageView', 3: 'legacyEvent', 30: 'revocation' }
const HOST = /(^|\.)hubspot\.com$/

/** The identity parameter `i`: `key=value&…`, itself URL-encoded. */
function identityOf(text) {
  if (text === null) return null
  const identity = {}
  for (const [key, value] of new URLSearchParams(text)) identity[key] = value
  return identity
}

/** One beacon URL (absolute) → the hit it stands for. Never throws: an unknown URL gives kind 'unknown'. */
export function decodeBeacon(href) {
  let url
  try {
    url = new URL(href)
  } catch {
    return { kind: 'unknown', raw: String(href) }
  }
  const q = url.searchParams
  const file = url.pathname.split('/').pop()
  const get = (key) => q.get(key)
  const pageUrl = get('pu')
  let locationPath = null
  try {
    if (pageUrl) locationPath = new URL(pageUrl).pathname + new URL(pageUrl).search
  } catch {
    locationPath = null
  }
  const hit = {
    kind: file === '__ptbe.gif' ? 'customEvent' : file === '__ptq.gif' ? (KINDS[get('k')] ?? 'unknown') : 'unknown',
    // HubSpot's host, also when a local collector received it as /__hubspot/{host}/….
    host: HOST.test(url.hostname) ? url.hostname : (url.pathname.split('/').find((p) => HOST.test(p)) ?? url.hostname),
    hubId: get('a'),
    path: get('po') ?? locationPath,
    title: get('t'),
    url: pageUrl,
    utk: get('vi'),
    hstc: get('u'),
    hssc: get('b'),
    identity: identityOf(get('i')),
    at: Number(get('cts')) || null,
    raw: href,
  }
  if (q.has('rpo')) hit.previousPath = get('rpo')
  if (hit.kind === 'customEvent') {
    hit.name = get('n')
    hit.properties = {}
    for (const [key, value] of q) if (key[0] === '_') hit.properties[key.slice(1)] = value
  }
  if (hit.kind === 'legacyEvent') {
    hit.id = get('n')
    hit.value = get('m')
  }
  if (hit.kind === 'revocation') hit.revoked = get('rv') === '1'
  return hit
}
