// Generated from the settings schema in plugin.json by `npm run settings:type`; do not edit.
// Properties with a default are required here: validation fills them in.

export interface Settings {
  /**
   * Prefix of every table, index and key the plugin creates.
   */
  tablePrefix: string;
  /**
   * Language when neither the user nor the browser names a supported one.
   */
  defaultLocale: 'ru' | 'en';
  /**
   * Time zone (IANA name, e.g. Europe/Moscow) of times on pages and in e-mails for users the host gives none; the server's own by default.
   */
  timeZone?: string;
  /**
   * The panel's public address, for links in e-mails. Falls back to the host's.
   */
  publicBaseUrl?: string;
  /**
   * Folder for attachments, outside any public path. Default: <host dataDir>/support-requests.
   */
  storageDir?: string;
  uploads: UploadSettings;
  /**
   * Per department code: e-mail addresses, on-call addresses (urgent mail also goes there), the language of its mail, whether its tickets are urgent, and how soon it usually answers, and whom an unacknowledged urgent request pages.
   */
  departments: {
    [k: string]: DepartmentSettings;
  };
  contacts: ContactSettings;
  mail: MailSettings;
  /**
   * Closes answered requests the customer has not replied to for afterDays days, with a notice to the customer. 0 turns it off.
   */
  autoClose: {
    afterDays: number;
    /**
     * How often the background worker looks for such requests.
     */
    checkMinutes: number;
  };
  /**
   * Emergency escalation: the addresses a step to "admins" pages (settings.departments.<code>.escalation, or the Departments page).
   */
  escalation: {
    /**
     * The admins' addresses, paged when an urgent request is still unacknowledged at a step to "admins".
     *
     * @maxItems 20
     */
    adminEmails: string[];
  };
  limits: {
    /**
     * Requests one customer may open in any hour, so a script or a stolen session cannot flood the departments' mailboxes. 0 turns the limit off.
     */
    newTicketsPerHour: number;
  };
}
export interface UploadSettings {
  maxFiles: number;
  maxFileSizeMb: number;
  allowedTypes: (
    | 'image/png'
    | 'image/jpeg'
    | 'image/gif'
    | 'image/webp'
    | 'application/pdf'
    | 'text/plain'
    | 'application/zip'
    | 'application/gzip'
    | 'application/x-tar'
  )[];
}
export interface DepartmentSettings {
  emails: string[];
  onCall: string[];
  locale?: 'ru' | 'en';
  urgent?: boolean;
  /**
   * The first-response target of the department's response regulation, in minutes (working minutes once the department has a working schedule); shown to customers on the form, in the confirmation and on the request page.
   */
  responseMinutes?: number;
  /**
   * Emergency escalation, in order: an urgent request nobody has acknowledged or answered afterMinutes after it was opened pages `to`, a list of addresses or "admins" (escalation.adminEmails). Up to 3 steps, each later than the one before.
   *
   * @maxItems 3
   */
  escalation?: {
    afterMinutes: number;
    to: string[] | 'admins';
  }[];
}
/**
 * The other contact channels shown on the support page.
 */
export interface ContactSettings {
  communityUrl?: string;
  chatUrl?: string;
}
/**
 * Department e-mail. The host's own transport (host contract) wins over smtp.
 */
export interface MailSettings {
  smtp?: SmtpSettings;
  from: {
    address: string;
    name: string;
  };
  /**
   * Files are attached while their total stays under this; otherwise listed with links.
   */
  attachLimitMb: number;
  confirmToCustomer: boolean;
  /**
   * Sent e-mails are deleted from the outbox after this many days (failed and waiting ones stay); 0 keeps them forever.
   */
  keepSentDays: number;
  retry: RetrySettings;
  /**
   * How often pending mail is looked for besides the nudge after each commit.
   */
  pollSeconds: number;
  /**
   * How long a claimed e-mail is reserved for one dispatcher, which renews it while the e-mail is on its way; another retries it only after the first died.
   */
  leaseSeconds: number;
  /**
   * Most e-mails claimed at once; a dispatcher holds at most four batches, and only what it sends in half a lease.
   */
  batchSize: number;
  /**
   * SMTP connection, greeting and socket timeout.
   */
  timeoutSeconds: number;
  inbound: InboundSettings;
}
export interface SmtpSettings {
  host: string;
  port: number;
  /**
   * TLS from the first byte (port 465); otherwise STARTTLS when offered.
   */
  secure: boolean;
  /**
   * Refuse to send unless STARTTLS succeeds.
   */
  requireTLS: boolean;
  user?: string;
  password?: string;
}
export interface RetrySettings {
  minDelaySeconds: number;
  maxDelaySeconds: number;
  giveUpAfterHours: number;
}
/**
 * Mail in: replies to the plugin's e-mails, and mail that opens requests. Off until address and secret are set.
 */
export interface InboundSettings {
  /**
   * The support mailbox. Outgoing e-mail is answered to a plus address of it that names the request (support+<number>.<signature>@...), and support+<department code>@... opens a request in that department.
   */
  address?: string;
  /**
   * Signs reply addresses and Message-IDs, and authenticates the pipe command. At least 32 characters; changing it makes earlier reply addresses unknown.
   */
  secret?: string;
  /**
   * The department code for mail to the plain support address; without it such mail is held for an admin.
   */
  defaultDepartment?: string;
  /**
   * IMAP mailboxes to read: one support mailbox, or one per department.
   */
  mailboxes: MailboxSettings[];
  /**
   * Larger messages are refused whole.
   */
  maxMessageMb: number;
  /**
   * Messages one sender address may send in any hour; the rest is held. 0 turns the limit off.
   */
  perSenderPerHour: number;
  /**
   * Take a staff member's e-mail answer only when the receiving server's Authentication-Results header shows DMARC, DKIM or SPF passing for the sender's domain.
   */
  requireAuthPassForStaff: boolean;
  /**
   * Held mail older than this is deleted by the background scheduler; 0 keeps it.
   */
  keepHeldDays: number;
}
export interface MailboxSettings {
  /**
   * A short name, unique among the mailboxes: where the reader stands in it is kept under this name.
   */
  name: string;
  host: string;
  port: number;
  /**
   * TLS from the first byte (port 993); otherwise STARTTLS when offered.
   */
  secure: boolean;
  user: string;
  password: string;
  folder: string;
  /**
   * A folder processed mail is moved to; without it, processed mail is flagged (and stays).
   */
  moveTo?: string;
  /**
   * The flag processed mail gets when it is not moved.
   */
  flag: string;
  /**
   * A department code: new mail in this mailbox opens requests in that department.
   */
  department?: string;
  /**
   * How often the mailbox is looked at when the server offers no IDLE, and how long one IDLE lasts before the reader looks again.
   */
  pollSeconds: number;
}
