/**
 * The site configuration (`mopac.config.json` at the content root), after
 * validation and with MOPAC's defaults filled in. Everything here but
 * `approvals` is printed on the public site; `approvals` is the publication
 * policy. Pure types: the site imports this file and nothing else of config/.
 */

/** How to reach someone: at least one of these is given. */
export interface Contact {
  email?: string
  /** As it is dialled in the UK, e.g. `020 7983 4000`. */
  phone?: string
  /** Postal address, one line each. */
  address?: string[]
  /** A web form or page to write from (absolute http(s) URL). */
  webForm?: string
}

/** The Information Commissioner's Office, where a requester can complain. */
export interface IcoDetails {
  /** The ICO's page for FOI complaints. */
  complaintsUrl: string
  phone: string
  address: string[]
}

export type AccessibilityCompliance = 'full' | 'partial' | 'not'

export interface SiteConfig {
  site: {
    /** The site's name, e.g. `MOPAC decisions` (header, titles, feed). */
    name: string
    /** Absolute site URL ending in `/`; `--base-url` wins over it. */
    baseUrl?: string
  }
  organisation: {
    /** Full name, e.g. `Mayor's Office for Policing and Crime`. */
    name: string
    /** Short name used in running text, e.g. `MOPAC`. */
    shortName: string
    /** The organisation's own website (absolute URL). */
    website: string
    /** Postal address, one line each. */
    address: string[]
  }
  accessibility: {
    /** Where to ask for another format or report a problem. */
    contact: Contact
    /** Working days within which a request for another format is answered. */
    responseDays: number
    /** The model statement's compliance status against WCAG 2.2 AA. */
    compliance: AccessibilityCompliance
    /** Content known not to be accessible, one sentence each; empty: none known. */
    nonAccessible: string[]
    /** `YYYY-MM-DD`: when the statement was prepared. */
    prepared: string
    /** `YYYY-MM-DD`: when it was last reviewed (not before `prepared`). */
    lastReviewed: string
    /** `YYYY-MM-DD`: when the site was last tested by a person, if it was. */
    lastTested?: string
  }
  privacy: {
    /** Where to ask about personal information. */
    contact: Contact
    /** `YYYY-MM-DD`: when the privacy notice was last updated, if known. */
    lastUpdated?: string
  }
  foi: {
    /** Where to send a Freedom of Information request (at least one way). */
    request: Contact
    /** Where to ask for an internal review; the request address when absent. */
    internalReview: Contact
  }
  ico: IcoDetails
  /**
   * How many approvals a paper needs before it is published: 0 (none), 1 or
   * 2. Parsed and exposed here; what it does is the release job's business.
   */
  approvals: 0 | 1 | 2
}
