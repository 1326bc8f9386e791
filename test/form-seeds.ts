/**
 * HubSpot form submissions as HubSpot reports them (shared by unit and e2e tests):
 * a legacy form's `hsFormCallback` message and an updated-editor form's field values.
 */
export const FORM_ID = '8f3c2a1e-5b7d-4c9e-a2f1-0d6e4b8c9a17'

/** `onFormSubmitted`: `data.submissionValues` maps contact property names to what the visitor typed. */
export const LEGACY_SUBMITTED = {
  type: 'hsFormCallback',
  eventName: 'onFormSubmitted',
  id: FORM_ID,
  data: {
    redirectUrl: '',
    conversionId: '3c1f7e2a-9d84-4b6f-8e21-7a5c0b9d4e63',
    submissionValues: {
      email: ' alex@example.com ',
      firstname: ' Alex',
      lastname: 'Rivera',
      company: 'Initech',
      interests: 'pricing;demo',
    },
  },
}

/** What `getFormFieldValues()` resolves to: names carry the object type id (`0-1` for contacts). */
export const V4_VALUES = [
  { name: '0-1/email', value: 'alex@example.com' },
  { name: '0-1/firstname', value: 'Alex ' },
  { name: '0-1/company', value: 'Initech' },
  { name: '0-1/interests', value: ['pricing', 'demo'] },
]

export const PAGE = { url: 'https://www.example.com/contact?src=ad', path: '/contact', title: 'Contact us' }
