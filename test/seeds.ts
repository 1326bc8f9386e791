// The seeds' own examples, shared by the tests of both modes.

/** The RudderStack seed's identify traits. */
export const ALEX = {
  firstName: 'Alex',
  city: 'New Orleans',
  country: 'USA',
  phone: '+1-202-555-0146',
  email: 'alex@example.com',
  custom_flavor: 'chocolate',
  custom_date: 1574769933368,
  custom_date1: new Date('2019-10-14T11:15:53.296Z'),
}

/** The same traits as the browser plugin hands them to HubSpot's identify. */
export const ALEX_IN_HUBSPOT = {
  firstname: 'Alex',
  city: 'New Orleans',
  country: 'USA',
  phone: '+1-202-555-0146',
  email: 'alex@example.com',
  custom_flavor: 'chocolate',
  custom_date: 1574769933368,
  custom_date1: 1571051753296,
}

/**
 * The same, as the browser plugin pushes them to HubSpot's identify: every value as text,
 * since HubSpot's tracker writes values into its beacon URLs and a falsy one as nothing.
 */
export const ALEX_SENT: Record<string, string> = Object.fromEntries(
  Object.entries(ALEX_IN_HUBSPOT).map(([key, value]) => [key, String(value)]),
)

/** The context.traits of the RudderStack seed's Order Completed track. */
export const ORDER_TRAITS = {
  firstname: 'Alex',
  city: 'New Orleans',
  country: 'USA',
  phone: '+1-202-555-0146',
  email: 'alex@example.com',
}
