// Names of everything the plugin creates in the host's database. Every table, index and key
// carries the configured prefix, so two installs (or a test run) never collide, and index and
// key names are spelled out short to stay under MySQL's 64-character limit.
export interface TableNames {
  prefix: string;
  migrations: string;
  departments: string;
  tickets: string;
  messages: string;
  attachments: string;
  outbox: string;
  events: string;
  /** Staff membership of departments, for hosts that do not give it. */
  departmentStaff: string;
  cannedReplies: string;
  /** One row per customer, locked while their new request is counted against the hourly limit. */
  customerGates: string;
  /** One row per background job: when it is next due and which run holds its lease. */
  jobLeases: string;
  /** Every message the intake took or held, with its original kept in file storage. */
  inboundMail: string;
  /** Where each IMAP reader stands in its mailbox (UIDVALIDITY and the last UID taken). */
  mailboxPositions: string;
  /** Customers' ratings of their requests, one per request. */
  ratings: string;
  /** Files of a customer's form that came back with a problem, waiting for its next submit. */
  pendingUploads: string;
  /** Known problems staff declare, the requests linked to them, their updates and whom each update reached. */
  incidents: string;
  incidentLinks: string;
  incidentUpdates: string;
  incidentDeliveries: string;
  /** The escalation steps paged for each urgent request, each at most once. */
  escalationPages: string;
  /** Service-level warnings sent, one per ticket, due time and kind: what makes each warning go once. */
  slaWarnings: string;
  /** The reports' facts (first answer, first resolution, first transfer of each request), day sums, and the days summed. */
  reportFacts: string;
  reportDays: string;
  reportMonths: string;
  reportBuilt: string;
  reportBacklog: string;
  /** An index or key name: prefix + a short suffix. */
  key(suffix: string): string;
}

export function tableNames(prefix: string, migrationsTemplate = '{prefix}migrations'): TableNames {
  return {
    prefix,
    migrations: migrationsTemplate.replace('{prefix}', prefix),
    departments: `${prefix}departments`,
    tickets: `${prefix}tickets`,
    messages: `${prefix}messages`,
    attachments: `${prefix}attachments`,
    outbox: `${prefix}outbox`,
    events: `${prefix}events`,
    departmentStaff: `${prefix}department_staff`,
    cannedReplies: `${prefix}canned_replies`,
    customerGates: `${prefix}customer_gates`,
    jobLeases: `${prefix}job_leases`,
    inboundMail: `${prefix}inbound_mail`,
    mailboxPositions: `${prefix}mailbox_positions`,
    ratings: `${prefix}ratings`,
    pendingUploads: `${prefix}pending_uploads`,
    incidents: `${prefix}incidents`,
    incidentLinks: `${prefix}incident_links`,
    incidentUpdates: `${prefix}incident_updates`,
    incidentDeliveries: `${prefix}incident_deliveries`,
    escalationPages: `${prefix}escalation_pages`,
    slaWarnings: `${prefix}sla_warnings`,
    reportFacts: `${prefix}report_facts`,
    reportDays: `${prefix}report_days`,
    reportMonths: `${prefix}report_months`,
    reportBuilt: `${prefix}report_built`,
    reportBacklog: `${prefix}report_backlog`,
    key: (suffix) => `${prefix}${suffix}`,
  };
}
