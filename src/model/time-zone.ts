// Time zones are IANA names checked against the ones this Node knows: a host's or an admin's typo
// must not reach Intl where it throws.

/** The zone's canonical name when it is a time zone this Node knows (IANA, e.g. "Europe/Moscow"), else undefined. */
export function knownTimeZone(name: string | null | undefined): string | undefined {
  if (!name || name.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
