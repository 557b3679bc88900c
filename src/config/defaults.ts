/**
 * MOPAC's defaults: what the site says when `mopac.config.json`, or a key of
 * it, is absent. Only facts that hold for MOPAC without checking with anyone
 * (its name, its address at City Hall, its pages on london.gov.uk, the
 * Information Commissioner's published contact details); email addresses and
 * telephone numbers are the content folder's to give.
 */
import type {SiteConfig} from './types.js'

export const CONFIG_FILE = 'mopac.config.json'

const CITY_HALL = ['City Hall', 'Kamal Chunchie Way', 'London', 'E16 1ZE']
const ORGANISATION = "Mayor's Office for Policing and Crime"

/** When the default accessibility statement and privacy notice were written. */
const STATEMENT_DATE = '2026-11-29'

export const DEFAULT_CONFIG: SiteConfig = {
  site: {name: 'MOPAC decisions'},
  organisation: {
    name: ORGANISATION,
    shortName: 'MOPAC',
    website: 'https://www.london.gov.uk/programmes-strategies/mayors-office-policing-and-crime',
    address: CITY_HALL
  },
  accessibility: {
    contact: {address: [ORGANISATION, ...CITY_HALL]},
    responseDays: 10,
    compliance: 'partial',
    nonAccessible: [
      'Some attachments to decisions, such as PDF documents and charts, may not be fully accessible: a chart may have no text description, or a PDF may not be tagged for screen readers. This fails WCAG 2.2 success criteria 1.1.1 (non-text content) and 1.3.1 (info and relationships). Ask us for any attachment in another format.'
    ],
    prepared: STATEMENT_DATE,
    lastReviewed: STATEMENT_DATE
  },
  privacy: {
    contact: {address: ['Data Protection Officer', ORGANISATION, ...CITY_HALL]},
    lastUpdated: STATEMENT_DATE
  },
  foi: {
    request: {address: ['Freedom of Information', ORGANISATION, ...CITY_HALL]},
    internalReview: {address: ['Freedom of Information', ORGANISATION, ...CITY_HALL]}
  },
  ico: {
    complaintsUrl: 'https://ico.org.uk/make-a-complaint/',
    phone: '0303 123 1113',
    address: ["Information Commissioner's Office", 'Wycliffe House', 'Water Lane', 'Wilmslow', 'Cheshire', 'SK9 5AF']
  },
  approvals: 0
}
