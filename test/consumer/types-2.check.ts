// @vitest-environment node
import { describeProjects } from './types'

describeProjects(['node16-cjs', 'nodenext'])
