import { deliverBatch, withoutResults, type BatchSpec } from './batch-answer'
import type { Call } from './http'
import { mergedFlush, type Flush } from './outcome'

/** A contact to associate with a company, both by their record IDs. */
export interface ContactCompany {
  contactId: string
  companyId: string
}

export const MAX_ASSOCIATIONS = 100

const PATH = '/crm/v4/associations/contact/company/batch/associate/default'

/**
 * The association operation for the CRM lane: one `POST
 * /crm/v4/associations/contact/company/batch/associate/default` (HubSpot's unlabeled type) per
 * batch, read by deliverBatch: errors (in a 200, as this API answers them) name their input by
 * `context.from` and `context.to`; a refused batch is split as the others are.
 */
export function associations(call: Call): Flush<ContactCompany> {
  const spec: BatchSpec<ContactCompany> = {
    what: 'association',
    send: (links) =>
      call('POST', PATH, {
        inputs: links.map((link) => ({ from: { id: link.contactId }, to: { id: link.companyId } })),
      }),
    names: (links) => ({ context: links.map((link) => ({ from: link.contactId, to: link.companyId })) }),
    unreadable: withoutResults('association', 'association'),
  }
  const key = (link: ContactCompany) => `${link.contactId}>${link.companyId}`
  return mergedFlush(
    key,
    (_, later) => later,
    (links) => deliverBatch(spec, links),
  )
}
