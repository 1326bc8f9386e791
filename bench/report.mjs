// bench/RESULTS.md from one run's figures. The text around the figures is written for any
// outcome: every verdict is computed, so the file never claims a goal a run did not meet.
import { fmt, table } from './lib.mjs'
import { EVENTS } from './memory.mjs'
import { embedSection } from './report-embed.mjs'

const METHODS = ['track', 'identify', 'page']
const r3 = (x) => x.toFixed(3)
const mb = (bytes) => `${bytes < 0 ? '−' : ''}${(Math.abs(bytes) / 1024 / 1024).toFixed(2)} MB`
const meets = (ok) => (ok ? 'met' : 'missed')
const list = (items) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`)
const LEADER = {
  'analytics-next': "analytics-next's",
  page: "the page's inline scripts",
  'no script': 'none (rendering, GC)',
  other: 'other scripts',
}
const byMethod = (fn) => list(METHODS.map((m) => `${fn(m)} for ${m}`))

export function report(r) {
  const { machine: host, pipeline: p, core, pageload: pl, memory: mem, size: sizes, peer } = r
  const embed = embedSection(r.embed, host.cores)

  // --- 1 -------------------------------------------------------------------------------
  const noopUs = (m) => 1e6 / p.result[m].perSecond.noop
  // Met when the median is within the goal; missed when even the lower quartile is above
  // it; otherwise this run cannot tell.
  const judge = (x, goal) => (x.median <= goal ? 'met' : x.low > goal ? 'missed' : 'not resolved')
  const verdicts = (key) => Object.fromEntries(METHODS.map((m) => [m, judge(p.result[m][key], 1.02)]))
  const summarize = (v) => {
    const all = Object.values(v)
    if (all.every((x) => x === 'met')) return 'met'
    const missed = METHODS.filter((m) => v[m] === 'missed')
    const open = METHODS.filter((m) => v[m] === 'not resolved')
    return [missed.length && `missed for ${list(missed)}`, open.length && `not resolved for ${list(open)}`]
      .filter(Boolean)
      .join('; ')
  }
  const cVerdict = summarize(verdicts('c'))
  const sinkVerdict = summarize(verdicts('sink'))
  const floor = Math.max(...METHODS.map((m) => Math.abs(p.result[m].floor.median - 1)))
  const handlerUs = peer?.result.sink.track.ours
  const worstSinkMethod = METHODS.reduce((a, b) => (p.result[b].sink.median > p.result[a].sink.median ? b : a))
  const worstSink = p.result[worstSinkMethod].sink
  const pipelineText = [
    `**How.** One page, three analytics-next instances loaded as the README's CDN install does, offline (no Segment.io): (a) no destination, (b) a destination whose handlers return at once, (c) this plugin with the HubSpot stand-in loaded, so \`_hsq\` is live. (c′) is instance (c) with \`_hsq\` swapped, for the time of a batch, for a live queue that only counts: the plugin's own cost, without the stand-in's. Calls are issued in **batches of ${p.batch}, each batch awaited as a whole** (\`Promise.all\`: every event delivered to every destination), then the next batch starts in a fresh task. Not one awaited call after the other: analytics-next hands events to destinations in a \`setTimeout(0)\`, and awaited back to back those timers nest and Chromium clamps them to 4 ms, which would measure the clamp (about 150 events/s whatever the destination). ${p.rounds} rounds of ${p.events} calls per variant and method, the variants interleaved in blocks of ${p.batch} in a balanced order (each follows each other equally often); between blocks, untimed, the stand-in's beacons are left to reach the server, so no variant pays for another's. Ratios are time per event over the no-op destination's, taken inside each round; the table gives their median and, in brackets, the middle half of the rounds. a/b compares two variants that differ only by an empty handler: its distance from 1 is this machine's noise floor.`,
    `**What this shows.** With the stand-in live, c/b is ${byMethod((m) => r3(p.result[m].c.median))}: the goal of ≤ 1.02 is **${cVerdict}**. ` +
      `The plugin alone (c′/b) is ${byMethod((m) => r3(p.result[m].sink.median))}: ${sinkVerdict === 'met' ? 'the goal is met' : `**${sinkVerdict}** against the goal of ≤ 1.02`}, to this run's resolution: a/b, whose variants differ by an empty handler, comes up to ${(floor * 100).toFixed(1)} % from 1, and c′/b lands as far on either side. ` +
      `The plugin's own work per event is microseconds: ${fmt.us(core.us.track)} for the core of a track (measurement 2)${handlerUs ? `, ${fmt.us(handlerUs)} for its whole track handler in Chromium (measurement 5)` : ''}, that is ${(((handlerUs ?? core.us.track) / noopUs('track')) * 100).toFixed(2)} % of the ${fmt.int(noopUs('track'))} µs analytics-next spends on each track call here (most of it reading and writing cookies and localStorage).${worstSink.median > 1.02 ? ` The c′/b of ${r3(worstSink.median)} for ${worstSinkMethod} would mean ${fmt.int((worstSink.median - 1) * noopUs(worstSinkMethod))} µs more per event, ${Math.round(((worstSink.median - 1) * noopUs(worstSinkMethod)) / (peer?.result.sink[worstSinkMethod].ours ?? core.us[worstSinkMethod]))}× what the whole ${worstSinkMethod} handler takes when timed alone (measurement 5): that excess is not the handler's work but the run's noise, of the size a/b shows.` : ''} ` +
      `The gap between c and c′ is the stand-in's work on the page's main thread for each hit: it reads the \`hubspotutk\` cookie, serializes the hit and calls \`sendBeacon\` — the kind of work HubSpot's real script does for every hit too. Track and page send a hit each; identify sends none (HubSpot keeps traits for the next hit), which is why identify's c/b is near 1.`,
  ]

  // --- 2 -------------------------------------------------------------------------------
  const coreText = [
    `**How.** \`trackCommands\`, \`identifyCommands\` and \`pagePath\` + \`pageCommands\` bundled from src/ with esbuild and called in a loop in Node ${host.node}, the commands kept (as \`_hsq\` keeps them; otherwise the JIT could skip building them), 9 rounds of about 100 ms per call type, alternated; median. Payloads: bench/pages/fixtures.js (track with 10 properties, identify with 30 traits incl. a Date, an address object, an array and a zero-width space to trim).`,
    `**What this shows.** ${fmt.us(core.us.track)} per track, ${fmt.us(core.us.identify)} per identify (30 traits, each renamed and normalized: ${fmt.us(core.us.identify / 30)} a trait) and ${fmt.us(core.us.page)} per page: microseconds, as the issue expects. Against the ${fmt.int(noopUs('track'))}–${fmt.int(noopUs('identify'))} µs analytics-next itself spends per call in Chromium on this machine (measurement 1), the core is ${((core.us.identify / noopUs('identify')) * 100).toFixed(1)} % at most. In the browser the handler adds a little around the core (consent check, \`location\`, the push): measurement 5 gives the whole handler.`,
  ]

  // --- 3 -------------------------------------------------------------------------------
  const [d0, dSlow] = pl.delays
  const at = (delay, metric) => pl.results[delay].ratios[metric]
  const med = (delay, variant, metric) => pl.results[delay].medians[variant][metric]
  const extraMs = (delay, metric) => med(delay, 'with', metric) - med(delay, 'without', metric)
  // Per delay as in 1, the 90 % interval in place of the middle half of the rounds.
  const judgeAll = (metric) => {
    const verdicts = pl.delays.map((d) => judge(at(d, metric), 1.05))
    return verdicts.includes('missed')
      ? 'missed'
      : verdicts.includes('not resolved')
        ? 'not resolved (interval spans 1.05)'
        : 'met'
  }
  const both = (metric) =>
    `${r3(at(d0, metric).median)} (${r3(at(d0, metric).low)}–${r3(at(d0, metric).high)}) with hubspot.js answering at once and ${r3(at(dSlow, metric).median)} (${r3(at(dSlow, metric).low)}–${r3(at(dSlow, metric).high)}) after ${dSlow} ms`
  const long = Object.fromEntries(
    ['without', 'noop', 'with'].map((v) => [v, pl.delays.reduce((s, d) => s + pl.results[d].longTasks[v], 0)]),
  )
  const loads = pl.rounds * pl.delays.length
  // Long frames whose longest script was the plugin's file or hubspot.js, in any variant.
  const ledBy = (source) => pl.delays.reduce((n, d) => n + (pl.results[d].longFrames.with[source] ?? 0), 0)
  const blamed = ledBy('plugin')
  const hubspotLed = ledBy('hubspot.js')
  const leaders = [
    ...new Set(pl.delays.flatMap((d) => Object.values(pl.results[d].longFrames).flatMap(Object.keys))),
  ].filter((x) => x !== 'plugin' && x !== 'hubspot.js')
  // The plugin's calls during each load: the first ones compile its code and inject hubspot.js.
  const calls = pl.results[dSlow].pluginCalls
  const callList = calls.first.map(([name, ms]) => `\`${name}\` ${fmt.ms(ms)}`).join(', ')
  const longestCall = Math.max(...pl.delays.map((d) => pl.results[d].pluginCalls.longest))
  // Long tasks led by analytics-next's own timers run the destinations' handlers too.
  const longTaskSentence = blamed
    ? `**${blamed} long animation frame(s) (> 50 ms) had the plugin's file as their longest script: goal missed in this run.**`
    : `No long animation frame (> 50 ms) had the plugin's file as its longest script (${leaders.length ? `the longest scripts in them were ${list(leaders.map((x) => LEADER[x] ?? x))}` : 'there were none'}${hubspotLed ? `, and in ${hubspotLed} it was hubspot.js: HubSpot's code, the ${fmt.kb(r.standinBytes)} stand-in running` : ''}); ` +
      (long.with <= Math.max(long.without, long.noop)
        ? `none can be put on the plugin (its longest single call in any load took ${fmt.ms(longestCall)}): goal met.`
        : `but there are ${long.with - Math.max(long.without, long.noop)} more long task(s) with the plugin than in either other variant. They are analytics-next's timer tasks, which run the destinations' first calls too (the plugin's longest single call in any load took ${fmt.ms(longestCall)}) and which cross 50 ms in every variant on this shared two-core machine; the goal of zero is not shown by this run.`)
  const renderVerdicts = [judgeAll('dcl'), judgeAll('ready')]
  // The load event waits for hubspot.js whenever it is requested before the event fires: a
  // race, which makes the load times two-humped and their interval reach down to 1.
  const heldDelay = pl.delays.filter((d) => at(d, 'load').median > 1.05).at(-1)
  const loadVerdict =
    heldDelay === undefined
      ? judgeAll('load')
      : `missed, held in ${pl.results[heldDelay].heldLoads} of ${pl.rounds} loads at ${heldDelay} ms`
  const halfWidth = Math.max(
    ...pl.delays.flatMap((d) => ['dcl', 'ready'].map((m) => (at(d, m).high - at(d, m).low) / 2 / at(d, m).median)),
  )
  const pageloadText = [
    `**How.** Three pages identical but for the destination (bench/pages/pageload-*.html, the README's CDN install with \`analytics.page()\`): none, a no-op destination, and this plugin (its \`<script>\` tag and its registration). Each load in a fresh browser context (empty cache, no cookies), ${pl.rounds} rounds per delay after one warm-up, the variants' order changing from round to round. The stand-in is served at ${fmt.kb(r.standinBytes)}, HubSpot's size (its own code plus copies of it inside functions never called, so it is fetched and pre-parsed like real code), answered at once or after ${dSlow} ms. Times are from navigation start; \`ready\` is when \`analytics.ready()\` resolves. One page load varies by ±30 % here, so ratios are **ratios of the medians with a 90 % bootstrap interval**, not medians of per-round ratios (each of which would carry the noise of two loads). Long tasks come from a PerformanceObserver registered first thing in \`<head>\`, counted until 150 ms after both the load event and hubspot.js. Inline scripts around the plugin's tag time how long it holds the parser.`,
    `**What this shows.** hubspot.js never blocks parsing or rendering: it is requested at about ${fmt.ms(med(dSlow, 'with', 'hubspotRequested'))}, with the first event (the page view), as an async script. The plugin's own \`<script>\` tag holds the parser for ${fmt.ms(pl.results[dSlow].tagMs)} (fetching and running it). ` +
      `DOMContentLoaded with/without is ${both('dcl')}; \`analytics.ready()\` ${both('ready')}. ` +
      (renderVerdicts.every((v) => v === 'met')
        ? 'The goal of ≤ 1.05 is met for both. '
        : `Against the goal of ≤ 1.05: DOMContentLoaded ${renderVerdicts[0]}, \`ready\` ${renderVerdicts[1]}.` +
          (renderVerdicts.some((v) => v.startsWith('not resolved'))
            ? ` The 90 % intervals are up to ±${(halfWidth * 100).toFixed(0)} % wide: ${pl.rounds} loads per variant on this machine cannot resolve 5 % where they span 1.05.`
            : '') +
          (renderVerdicts.includes('missed')
            ? ` Where missed, the plugin's own share of the delay is at most its tag and its first calls (below).`
            : '') +
          ' ') +
      `The plugin's own work before them is its tag's ${fmt.ms(pl.results[dSlow].tagMs)} and its first calls, ${fmt.ms(calls.total)} in all (${callList}; the first \`page()\` compiles the plugin's code and injects hubspot.js), then microseconds per event (measurements 2 and 5). hubspot.js, requested around DOMContentLoaded, can when answered at once have its download and first run (${fmt.kb(r.standinBytes)} of HubSpot's code) overlap the end of parsing and analytics' start, and cannot when answered later. ` +
      `The no-op destination's medians (DOMContentLoaded ${fmt.ms(med(d0, 'noop', 'dcl'))} and ${fmt.ms(med(dSlow, 'noop', 'dcl'))}, \`ready\` ${fmt.ms(med(d0, 'noop', 'ready'))} and ${fmt.ms(med(dSlow, 'noop', 'ready'))}, against ${fmt.ms(med(d0, 'without', 'dcl'))}, ${fmt.ms(med(dSlow, 'without', 'dcl'))}, ${fmt.ms(med(d0, 'without', 'ready'))} and ${fmt.ms(med(dSlow, 'without', 'ready'))} without) are the baseline of having a destination at all; with/no-op in the table is the plugin's share beyond it. ` +
      `**The load event is held — goal of ≤ 1.05 ${loadVerdict}:** an async script inserted before the load event delays that event until it has arrived and run. With hubspot.js answering at once, load comes ${fmt.ms(extraMs(d0, 'load'))} later (${r3(at(d0, 'load').median)}: fetching and running ${fmt.kb(r.standinBytes)}); answering after ${dSlow} ms, ${fmt.ms(extraMs(dSlow, 'load'))} later (${r3(at(dSlow, 'load').median)}), the whole wait. It depends on a race: in ${pl.results[dSlow].heldLoads} of ${pl.rounds} loads hubspot.js was requested before the load event; in the others analytics-next's first event came after it and the load event was not held. HubSpot's own embed code (\`<script async defer src=…>\` in the page) holds the load event in the same way; a site that needs an early load event can call \`AnalyticsBrowser.load\` after it. ` +
      `Long tasks over ${loads} loads per variant: ${long.without} without a destination, ${long.noop} with the no-op destination, ${long.with} with the plugin. ${longTaskSentence}`,
  ]

  // --- 4 -------------------------------------------------------------------------------
  const perEvent = mem.none.growth / EVENTS
  const memoryText = [
    `**How.** One page per variant, each in a fresh context: with the plugin, the request for hubspot.js is held forever (a Playwright route that never answers), as behind a stalled network; without, no destination. ${EVENTS.toLocaleString('en-US')} \`analytics.track\` calls (10 properties) in awaited batches of 200. User ids and traits in memory (\`disableClientPersistence\`), which makes analytics-next several times faster and 100,000 events fit the run; the plugin's memory does not depend on it. JS heap in use after forced garbage collection (CDP \`HeapProfiler.collectGarbage\` twice, then \`Runtime.getHeapUsage\`) before, after 50,000 and after 100,000 events. The plugin's run comes first, so any one-time cost of analytics-next lands on its share, not on the baseline.`,
    `**What this shows.** The plugin's share of the growth is ${mb(mem.share)} for ${EVENTS.toLocaleString('en-US')} events: the goal of < 1 MB is ${meets(mem.share < 1024 * 1024)}. ` +
      `\`_hsq.length\` ends at ${mem.plugin.hsqLength}${mem.plugin.hsqLength === 1000 ? ' as expected' : ' (**1000 expected**)'}: the queue fills to its bound with the first 1,000 events and stays there, ${mem.plugin.warnings.length === 1 ? 'with one console warning' : `with ${mem.plugin.warnings.length} console warnings`}; over the second 50,000 events the plugin's share is ${mb(mem.plugin.secondHalf - mem.none.secondHalf)}. ` +
      `analytics-next itself grows by ${mb(mem.none.growth)} per ${EVENTS.toLocaleString('en-US')} events with no destination at all (${perEvent.toFixed(0)} bytes an event; ${mb(mem.none.half - mem.none.before)} in the first 50,000, ${mb(mem.none.secondHalf)} in the second): that matches analytics-core's PriorityQueue keeping the attempt count of every event it has delivered (\`seen[ctx.id]\`, never cleared). It is analytics-next's, with or without this plugin.`,
  ]

  // --- 5 -------------------------------------------------------------------------------
  const [oursIife, oursEsm, peerDist] = sizes.rows
  const live = (m) => peer.result.live[m]
  const alone = (m) => peer.result.sink[m]
  const peerText = [
    `**How.** Sizes: gzip level 9, as size-limit measures (the \`gzip -9\` command adds a header: 1,188 B for the peer's file). Cost: both plugins on one page and one \`_hsq\`, their handlers called directly, back to back, with what their host library passes — ours a context \`{ event }\` shaped as analytics-next's, the peer \`{ payload, config, instance }\` with the payload as the \`analytics\` package builds it, the same properties and traits. Blocks of about 40 ms per handler, alternated, 9 rounds; the peer's first \`page\` call (which it skips) is made before timing. "handler alone": \`_hsq\` swapped for a live queue that only counts; "+ stand-in": the stand-in's live \`_hsq\`.`,
    `**What this shows.** @analytics/hubspot is smaller: ${fmt.bytes(peerDist.gzip)} gzip for its browser build against ${fmt.bytes(oursEsm.gzip)} for ours as a bundler includes it (${(oursEsm.gzip / peerDist.gzip).toFixed(1)}×) and ${fmt.bytes(oursIife.gzip)} for our CDN core file. It also does much less: track sends HubSpot's deprecated \`trackEvent\` with the raw properties, identify forwards traits unconverted (a Date stays a Date, an address stays nested, \`userId\` becomes HubSpot's \`id\`), there is no consent handling and no bound on \`_hsq\`. ` +
      `Handler alone, ours costs ${byMethod((m) => `${fmt.us(alone(m).ours)} against ${fmt.us(alone(m).peer)}`)}: the peer is cheaper where it converts nothing${alone('identify').ours < alone('identify').peer ? ', ours is cheaper for identify' : ''}. With the stand-in live, HubSpot's own work per hit dominates both (track ${fmt.us(live('track').ours)} against ${fmt.us(live('track').peer)}). ` +
      `Either way these are microseconds against the ${fmt.int(noopUs('track'))} µs analytics-next spends per call (measurement 1): neither plugin's per-event cost is visible to a visitor. ${oursEsm.gzip < peerDist.gzip ? 'This plugin is the smaller' : 'This plugin is not smaller than the peer'}${METHODS.every((m) => alone(m).ours <= alone(m).peer) ? ' and is cheaper per event' : METHODS.some((m) => alone(m).ours <= alone(m).peer) ? `, and cheaper per event only for ${list(METHODS.filter((m) => alone(m).ours <= alone(m).peer))}` : ', and not cheaper per event'}; ${oursEsm.gzip > peerDist.gzip ? `its price is about ${fmt.bytes(oursEsm.gzip - peerDist.gzip)} gzip more, for the conversions, checks and consent handling.` : ''}`,
  ]

  // --- summary -------------------------------------------------------------------------
  const goals = table(
    ['measurement', 'goal', 'this run', 'verdict'],
    [
      ['1. c/b, stand-in live', '≤ 1.02', METHODS.map((m) => `${m} ${r3(p.result[m].c.median)}`).join(', '), cVerdict],
      [
        '1. c′/b, plugin alone',
        '≤ 1.02',
        METHODS.map((m) => `${m} ${r3(p.result[m].sink.median)}`).join(', '),
        `${sinkVerdict} (noise floor ±${(floor * 100).toFixed(1)} %)`,
      ],
      ['2. pure core', 'low µs', METHODS.map((m) => `${m} ${fmt.us(core.us[m])}`).join(', '), '–'],
      ...['dcl', 'ready', 'load'].map((m) => [
        `3. ${{ dcl: 'DOMContentLoaded', ready: 'analytics.ready()', load: 'load event' }[m]}, with/without`,
        '≤ 1.05',
        pl.delays.map((d) => `${d} ms: ${fmt.ratio(at(d, m))}`).join(', '),
        m === 'load' ? loadVerdict : judgeAll(m),
      ]),
      [
        '3. long tasks from the plugin',
        '0',
        `${long.with} with, ${long.noop} no-op, ${long.without} without (${loads} loads each); long frames led by the plugin's file ${blamed}, by hubspot.js ${hubspotLed}`,
        meets(!blamed && long.with <= Math.max(long.without, long.noop)),
      ],
      ['4. heap growth, plugin share', '< 1 MB', mb(mem.share), meets(mem.share < 1024 * 1024)],
      ['4. `_hsq.length` at the end', '1000', String(mem.plugin.hsqLength), meets(mem.plugin.hsqLength === 1000)],
      [
        '5. size vs @analytics/hubspot',
        'smaller',
        `${fmt.bytes(oursEsm.gzip)} vs ${fmt.bytes(peerDist.gzip)} gzip`,
        meets(oursEsm.gzip < peerDist.gzip),
      ],
      ...embed.goals,
    ],
  )

  const sections = [
    ['1. Per-event cost in the pipeline (Chromium)', p.table, pipelineText],
    ["2. The plugin's own work: the pure core (Node)", core.table, coreText],
    ['3. Page-load impact (Chromium)', pl.table, pageloadText],
    [`4. Memory while hubspot.js never arrives (${EVENTS.toLocaleString('en-US')} track calls)`, mem.table, memoryText],
    ['5. The peer: @analytics/hubspot 0.5.1', `${sizes.table}\n\n${peer.table}`, peerText],
    [embed.title, embed.table, embed.text],
  ]

  const text = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (bench/run.mjs) on ${host.date}, in ${r.seconds.toFixed(0)} s. Re-run with \`npm install && npm run bench\` (it builds dist/ first if missing; Chromium at /usr/bin/chromium or \`CHROMIUM_PATH\`, as for the e2e tests); \`npm run bench -- pipeline memory\` runs some of the measurements (size, core, pipeline, peer, pageload, embed, memory) and only prints them; \`BENCH_JSON=file\` also writes the raw figures; \`BENCH_EMBED_*\` and \`BENCH_HUBSPOT_*\` (see bench/embed.mjs) change measurement 6's rounds, variants, HubSpot's latency and the page. The figures move from run to run on a shared machine: compare ratios, not absolute rates.`,
    '',
    `**Machine:** ${host.cores} cores (\`nproc\`), ${host.cpu}; Node ${host.node}; Chromium ${host.chromium} (headless, the e2e tests' flags); @segment/analytics-next 1.84.3.`,
    '',
    `**Method:** every comparison is a ratio measured within one run, the variants alternated (their order changed from round to round), and the median over rounds reported, with the middle half of the rounds in brackets: \`median (25th–75th percentile)\`; for page loads, whose noise is per load rather than drift, the ratio of the medians with a 90 % bootstrap interval. A goal is *met* when the median is within it, *missed* when the bracket's low end is beyond it, *not resolved* in between. Pages are served by demo/server.mjs (from a temporary root of links, which adds the bench pages and the padded stand-in); nothing leaves the machine.`,
    '',
    '## Goals',
    '',
    goals,
    '',
    ...sections.flatMap(([title, tableText, paragraphs]) => [
      `## ${title}`,
      '',
      tableText,
      '',
      ...paragraphs.flatMap((x) => [x, '']),
    ]),
  ].join('\n')

  const summary = [
    `Machine: ${host.cores} cores, ${host.cpu}, Node ${host.node}, Chromium ${host.chromium}`,
    '',
    '## Goals',
    goals,
    ...sections.flatMap(([title, tableText]) => ['', `## ${title}`, tableText]),
  ].join('\n')
  return { text, summary }
}
