/**
 * False in production builds, where messages are short. Bundlers replace
 * `process.env.NODE_ENV` at build time (Vite, webpack, Parcel and esbuild do by default; Rollup
 * with @rollup/plugin-replace), so the full text of development messages is left out of a
 * site's bundle; the CDN's `.min.js` is built for production, its `.js` for development.
 * A build-time constant, not a global the core reads at run time.
 */
export const DEV: boolean = process.env.NODE_ENV !== 'production'

/**
 * A short message's pointer to the README section that explains it. Production messages
 * name the setting or rule and link here; development ones say it all.
 */
export const see = (section: string): string =>
  `https://github.com/analytics-next-hubspot/analytics-next-hubspot#${section}`
