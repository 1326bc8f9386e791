/** Flags that keep Debian's chromium quiet on a machine with no network but loopback. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Playwright cannot download its browser here: Debian's, or CHROMIUM_PATH (checked by check-chromium.mjs). */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH || '/usr/bin/chromium'
