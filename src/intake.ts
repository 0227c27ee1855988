// The mail intake as the host and every way in see it (host.ts ActivatedPlugin.receiveMail):
// the message's bytes, refused whole when too large or too complex, read (mail/in/parse.ts), and
// handed to the domain's rules (domain/mail-intake.ts), with its original written to storage only
// when a row will point to it.
import type { HostLogger } from './host';
import type { ParsedMail, ReceiveMail } from './model/inbound';
import type { FileStorage } from './files/storage';
import { keepBuffer } from './files/keep-buffer';
import { readMessage } from './mail/in/read-message';
import type { mailIntake } from './domain/mail-intake';

export interface IntakeEntryOptions {
  parse(raw: Buffer): Promise<ParsedMail | null>;
  intake: ReturnType<typeof mailIntake>;
  storage: FileStorage;
  maxBytes: number;
  logger: HostLogger;
}

export function intakeEntry({ parse, intake, storage, maxBytes, logger }: IntakeEntryOptions): ReceiveMail {
  return async (raw, options = {}) => {
    const message = await readMessage(raw, maxBytes);
    if (!message) {
      logger.warn(
        `support-requests mail in: refused a message larger than ${Math.round(maxBytes / 1048576)} MB (${options.source ?? 'api'})`,
      );
      return { outcome: 'ignored', reason: 'tooLarge' };
    }
    const mail = await parse(message);
    if (!mail) {
      logger.warn(`support-requests mail in: refused a message with too many parts (${options.source ?? 'api'})`);
      return { outcome: 'ignored', reason: 'tooComplex' };
    }
    let kept: Promise<{ key: string; size: number }> | null = null;
    const original = {
      keep: () => (kept ??= keepBuffer(storage, message, 'message.eml').then((file) => ({ key: file.storageKey, size: file.size }))),
    };
    return intake.take(mail, message, original, options);
  };
}
