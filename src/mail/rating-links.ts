// The signature of the rating links in a customer's e-mail (<mount>/<number>/rate?r=good&sig=…),
// made with the HMAC that signs reply addresses (reply-address.ts), under its own purpose.
import type { RatingLinks } from '../model/mail';
import { signer } from './reply-address';

export function ratingLinks(secret: string): RatingLinks {
  const { sign, verify } = signer(secret);
  return {
    signatureOf: (ticketNumber) => sign('rate', ticketNumber),
    isSignatureOf: (ticketNumber, signature) => verify('rate', ticketNumber, signature.toLowerCase()),
  };
}
