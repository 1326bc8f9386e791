// RESULTS.md's section 6 (bench/embed.mjs): the page with this plugin against the same page
// with HubSpot's own embed. Every sentence is computed from the run, for any outcome.
import { fmt } from './lib.mjs'
import { GOALS } from './embed.mjs'

const r3 = (x) => x.toFixed(3)
const ratioText = (x) => `${r3(x.median)} (${r3(x.low)}–${r3(x.high)})`
const GOAL_LABEL = { dcl: 'DOMContentLoaded', load: 'load event', ready: '`analytics.ready()`' }

/** ≤ 1.00 with a 90 % interval: met when all of it is within, missed when none is. */
export function judgeAtMostOne(x) {
  if (x.high <= 1) return 'met'
  if (x.low > 1) return 'missed'
  return x.median <= 1 ? 'met at the median, not resolved (interval spans 1.00)' : 'not resolved (interval spans 1.00)'
}

export function embedSection(em, cores) {
  const plugin = em.variants.includes('plugin') ? 'plugin' : em.variants.find((v) => v !== em.baseline)
  const ratio = (m) => em.ratios[plugin][m]
  const med = (v, m) => em.medians[v][m]
  const ms = (v, m) => fmt.ms(med(v, m))
  const both = (m) => `${ms(plugin, m)} against ${ms(em.baseline, m)}`
  const verdicts = Object.fromEntries(GOALS.map((m) => [m, judgeAtMostOne(ratio(m))]))
  const allMet = GOALS.every((m) => verdicts[m] === 'met')
  // Does analytics.ready() wait for HubSpot with the plugin (a plugin ready())? Then it is not like for like.
  const waits = em.runs[plugin].filter((r) => r.ready >= r.trackerRan).length
  const readyWaits = waits > em.rounds / 2
  const others = em.variants.filter((v) => v !== em.baseline && v !== plugin)
  // Does the stand-in hold its automatic view until the load event (as HubSpot's tracker does)?
  const embedRuns = em.runs[em.baseline]
  const viewAtLoad = embedRuns.filter((r) => r.beacon >= r.loadStart).length > embedRuns.length / 2
  const after = (v, m) => fmt.ms(em.afterDcl[v][m])
  const diff = (m) => {
    const d = em.differences[plugin][m]
    const signed = (x) => `${x < 0 ? '−' : '+'}${fmt.ms(Math.abs(x))}`
    return `${signed(d.median)} (90 % interval ${signed(d.low)} to ${signed(d.high)})`
  }
  const loaderRun = (v) => med(v, 'loaderRan') - med(v, 'loaderRequested')

  const goals = [
    ...GOALS.map((m) => [`6. ${GOAL_LABEL[m]}, plugin/embed`, '≤ 1.00', ratioText(ratio(m)), verdicts[m]]),
    ['6. first page-view beacon, plugin/embed', '–', ratioText(ratio('beacon')), '–'],
  ]

  const how =
    `**How.** Two pages, the same but for how HubSpot gets there (written by bench/embed.mjs): ` +
    `analytics-next's CDN tags with this plugin, default settings (the README's CDN install: hubspot.js is requested with the first event, once consent allows it), ` +
    `and HubSpot's own embed snippet (\`<script type="text/javascript" id="hs-script-loader" async defer src="//…/{hubId}.js">\`, the last thing in \`<body>\`) beside analytics-next without HubSpot: the setup Segment's docs tell users to replace. ` +
    `Both get HubSpot from the same model of its two hosts (bench/hubspot-cdn.mjs): a ${fmt.int(em.loaderBytes)} B loader on one origin that adds the tracker from a second origin, as js.hs-scripts.com/{hubId}.js adds js.hs-analytics.net/analytics/{cacheBuster}/{hubId}.js; the tracker is the stand-in padded to ${fmt.kb(em.trackerBytes)}. ` +
    `Each script is answered after ${em.latencyMs} ms${em.connectMs ? `, the first on a new connection ${em.connectMs} ms later still (DNS, TCP, TLS)` : ' (connections on 127.0.0.1 cost nothing more, so a `preconnect` hint would show no gain here)'}. ` +
    `A fresh browser context per load (empty cache, no cookies: a first visit), ${em.rounds} rounds, the variants alternated in a balanced order after a warm-up load of each. ` +
    `Times are from navigation start: DOMContentLoaded and \`load\` from Navigation Timing, requests from Resource Timing, "ran" from each script's load event, the beacon from the stand-in's own event as it sends the page view, \`analytics.ready()\` from its promise. ` +
    `Ratios are plugin/embed, **ratios of the medians with a 90 % bootstrap interval**; a goal of ≤ 1.00 is *met* when the whole interval is within it. ` +
    `The machine was shared during the run: 1-minute load average ${em.loadavg.median.toFixed(1)} (${em.loadavg.min.toFixed(1)}–${em.loadavg.max.toFixed(1)}) on ${cores} cores, which is what the intervals' width reflects.`

  const sayGoals = GOALS.map((m) => `${GOAL_LABEL[m]} ${ratioText(ratio(m))}: ${verdicts[m]}`).join('; ')
  const shows =
    `**What this shows.** Against HubSpot's own embed: ${sayGoals}. ${allMet ? 'Every goal of ≤ 1.00 is met.' : 'Not every goal of ≤ 1.00 is met by this run.'} ` +
    `Where they differ is when HubSpot's loader starts. The embed's tag is found by the browser's preload scanner and requested at ${ms(em.baseline, 'loaderRequested')}, fetched while the page still parses, and run when the parser reaches it at the end of \`<body>\` (${ms(em.baseline, 'loaderRan')}; DOMContentLoaded ${ms(em.baseline, 'dcl')}). ` +
    `The plugin requests it with the first event, at ${ms(plugin, 'loaderRequested')} (DOMContentLoaded ${ms(plugin, 'dcl')}), once analytics-next has loaded: it waits for that event so that consent stamped on it is read before anything is fetched from HubSpot (README, "Security and privacy"). The loader's own round trip then comes on top (${fmt.ms(loaderRun(plugin))} from request to run, against ${fmt.ms(loaderRun(em.baseline))} for the embed's, fetched while the page parsed). ` +
    `So the tracker is requested at ${both('trackerRequested')}, runs at ${both('trackerRan')}, and the first page-view beacon leaves at ${both('beacon')} (×${r3(ratio('beacon').median)}). ` +
    (viewAtLoad
      ? "The stand-in, like HubSpot's tracker, sends its automatic page view once the document has loaded. "
      : "This stand-in sends its automatic page view as soon as it runs; HubSpot's real tracker waits until the document has loaded, so on a page whose `load` comes later than here the real beacons of both variants would leave at `load` at the earliest. ") +
    `Counted from each load's own DOMContentLoaded, which takes the machine's noise in parsing out, the tracker runs ${after(plugin, 'trackerRan')} after it with the plugin and ${after(em.baseline, 'trackerRan')} with the embed: ${diff('trackerRan')} for the plugin, and the \`load\` event ${diff('load')}. ` +
    `The \`load\` event waits for both scripts whenever they are added before it fires (an async script added before \`load\` holds it): the tracker was requested before \`load\` in ${em.held[plugin]} of ${em.rounds} plugin loads and ${em.held[em.baseline]} of ${em.rounds} embed loads, so \`load\` follows the tracker in both (${both('load')}). ` +
    (readyWaits
      ? `\`analytics.ready()\` waits for HubSpot with the plugin (its \`ready()\`, in ${waits} of ${em.rounds} loads it resolved after the tracker ran) and not in the embed's setup, where analytics-next knows nothing of HubSpot: the like-for-like figure is "analytics ready and HubSpot live", ${both('usable')} (×${r3(ratio('usable').median)}). `
      : `\`analytics.ready()\` does not wait for HubSpot in either variant here (${ms(plugin, 'ready')} with the plugin, ${ms(em.baseline, 'ready')} without it): the difference is analytics-next's own start with one destination more. A site that waits for both analytics and HubSpot waits ${both('usable')} (×${r3(ratio('usable').median)}). `) +
    `Long tasks (> 50 ms) over ${em.rounds} loads each: ${em.variants.map((v) => `${em.longTasks[v]} ${v === em.baseline ? 'with the embed' : v === plugin ? 'with the plugin' : `for ${v}`}`).join(', ')}.` +
    (others.length
      ? ` Also run: ${others.map((v) => `${em.labels[v]} (load ×${r3(em.ratios[v].load.median)}, beacon ×${r3(em.ratios[v].beacon.median)}, DOMContentLoaded ×${r3(em.ratios[v].dcl.median)}, \`ready\` ×${r3(em.ratios[v].ready.median)})`).join('; ')}.`
      : '')

  return { title: "6. Page load against HubSpot's own embed (Chromium)", table: em.table, text: [how, shows], goals }
}
