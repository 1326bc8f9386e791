// What the consumer test writes into throwaway TypeScript projects that install the packed
// package. Kept as text: these files import 'analytics-next-hubspot' as a user would, which
// only resolves inside those projects.

/** Must compile with no error, and proves the types are real (not `any`). */
export const USAGE = `import { hubspot, hubspotUtk, HubSpotSettingsError, VERSION } from 'analytics-next-hubspot'
import type { HubSpotEventMapping, HubSpotPlugin, HubSpotSettings } from 'analytics-next-hubspot'
import { DailyLimitError, HubSpotApiError, hubspotCloud, MAX_EVENTS } from 'analytics-next-hubspot/node'
import type { HubSpotCloudSettings, LimiterStore } from 'analytics-next-hubspot/node'
import type { Plugin } from '@segment/analytics-next'
import type { Plugin as NodePlugin } from '@segment/analytics-node'

// 'any' would accept every misuse without a word: each export must have its real type.
type IsAny<T> = 0 extends 1 & T ? true : false
export const typed: [false, false, false, false] = [
  false as IsAny<typeof hubspot>,
  false as IsAny<HubSpotSettings>,
  false as IsAny<typeof hubspotCloud>,
  false as IsAny<HubSpotCloudSettings>,
]

const mapping: HubSpotEventMapping = { name: 'pe1234567_signed_up', properties: { plan: 'plan' } }
const settings: HubSpotSettings = {
  hubId: '1234567',
  region: 'eu1',
  events: { 'Order Completed': 'pe1234567_order_completed', 'Signed Up': mapping },
  consentCategories: ['analytics'],
}
const plugin: HubSpotPlugin = hubspot(settings)
export const plugins: Plugin[] = [hubspotUtk(), plugin, hubspot({ portalId: 1234567 }), hubspot({ hubId: 1, portalId: 1 })]
export const version: string = VERSION
export const isSettingsError = (error: unknown): boolean => error instanceof HubSpotSettingsError && error.message !== ''

const store: LimiterStore = { redis: {} }
export const cloud: NodePlugin = hubspotCloud({ accessToken: 'pat-na1-0', hubId: '1234567', limiterStore: store })
export const maxEvents: number = MAX_EVENTS
export const cloudErrors = (error: unknown): boolean => error instanceof HubSpotApiError || error instanceof DailyLimitError
`

/**
 * Must fail: each marked line with exactly the marked error, whose message says the quoted
 * words, and nothing else. Were the package's types lost (say, to `any` under skipLibCheck),
 * none of them would fail.
 */
export const MISUSE = `import { hubspot } from 'analytics-next-hubspot'
import { hubspotCloud } from 'analytics-next-hubspot/node'

hubspot({}) // TS2345 "parameter of type 'HubSpotSettings'": neither hubId nor portalId
hubspot({ hubId: true }) // TS2322 "Type 'true' is not assignable to type 'string | number": hubId is a string or number
hubspot({ hubId: '1234567', flushIdentifty: true }) // TS2561 "Did you mean to write 'flushIdentify'?": a misspelled setting
export const n: number = hubspot // TS2322 "HubSpotPlugin' is not assignable to type 'number'": hubspot is a function
hubspotCloud({ hubId: '1234567' }) // TS2345 "Property 'accessToken' is missing": cloud mode needs its token
`

export interface ExpectedError {
  /** `file:line: TS1234` */
  at: string
  /** Words the message must hold. */
  says: string
}

/** The errors marked in a fixture. */
export const expectedErrors = (file: string, source: string): ExpectedError[] =>
  source.split('\n').flatMap((line, i) => {
    const marker = /\/\/ (TS\d+) "(.+)":/.exec(line)
    return marker ? [{ at: `${file}:${i + 1}: ${marker[1]}`, says: marker[2] }] : []
  })

export interface Project {
  name: string
  type: 'module' | 'commonjs'
  module: 'esnext' | 'node16' | 'nodenext'
  moduleResolution: 'bundler' | 'node16' | 'nodenext'
  /** Where the usage and misuse files go, and so which module system they are in. */
  files: string[]
}

export const PROJECTS: Project[] = [
  { name: 'bundler', type: 'module', module: 'esnext', moduleResolution: 'bundler', files: ['usage.ts', 'misuse.ts'] },
  {
    name: 'node16-esm',
    type: 'module',
    module: 'node16',
    moduleResolution: 'node16',
    files: ['usage.ts', 'misuse.ts'],
  },
  {
    name: 'node16-cjs',
    type: 'commonjs',
    module: 'node16',
    moduleResolution: 'node16',
    files: ['usage.ts', 'misuse.ts'],
  },
  // nodenext, with both an ES module and a CommonJS (.cts) file of each.
  {
    name: 'nodenext',
    type: 'module',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    files: ['usage.ts', 'misuse.ts', 'usage.cts', 'misuse.cts'],
  },
]

export const tsconfig = (project: Project, skipLibCheck: boolean) => ({
  compilerOptions: {
    target: 'es2022',
    lib: ['es2022', 'dom'],
    module: project.module,
    moduleResolution: project.moduleResolution,
    strict: true,
    skipLibCheck,
    // TypeScript's own lib files are TypeScript's to check; every package's .d.ts (this one's,
    // its peers') is checked whenever skipLibCheck is off.
    skipDefaultLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['*.ts', '*.mts', '*.cts'],
})

export const projectDirName = (project: Project, skipLibCheck: boolean) =>
  `${project.name}${skipLibCheck ? '-skiplibcheck' : ''}`
