// A service's status in the customer's language. The host gives its own word (HostService.status):
// the common ones, in their usual spellings, are translated; any other word is shown as the host
// wrote it, since a panel may have statuses of its own.
import type { Translate } from '../i18n';

/** The host's words, lower case, and the string each is shown as. */
const KNOWN = new Map<string, string>(
  Object.entries({
    active: 'form.serviceStatus.active',
    enabled: 'form.serviceStatus.active',
    running: 'form.serviceStatus.active',
    suspended: 'form.serviceStatus.suspended',
    paused: 'form.serviceStatus.suspended',
    pending: 'form.serviceStatus.pending',
    new: 'form.serviceStatus.pending',
    expired: 'form.serviceStatus.expired',
    cancelled: 'form.serviceStatus.cancelled',
    canceled: 'form.serviceStatus.cancelled',
    terminated: 'form.serviceStatus.terminated',
    deleted: 'form.serviceStatus.terminated',
    blocked: 'form.serviceStatus.blocked',
    locked: 'form.serviceStatus.blocked',
    frozen: 'form.serviceStatus.frozen',
    unpaid: 'form.serviceStatus.unpaid',
    overdue: 'form.serviceStatus.unpaid',
  }),
);

export function serviceStatusIn(t: Translate): (status: string) => string {
  return (status) => {
    const key = KNOWN.get(status.trim().toLowerCase());
    return key ? t(key) : status;
  };
}
