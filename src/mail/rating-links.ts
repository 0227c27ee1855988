// The signatures of the links in e-mail that act on a request: rating it (<mount>/<number>/rate?r=good&sig=…)
// and acknowledging an urgent one (<mount>/<number>/acknowledge?sig=…), made with the HMAC that
// signs reply addresses (reply-address.ts), each under its own purpose.
import type { AcknowledgeLinks, RatingLinks, SignedLinks } from '../model/mail';
import { signer } from './reply-address';

function signedLinks(secret: string, purpose: string): SignedLinks {
  const { sign, verify } = signer(secret);
  return {
    signatureOf: (ticketNumber) => sign(purpose, ticketNumber),
    isSignatureOf: (ticketNumber, signature) => verify(purpose, ticketNumber, signature.toLowerCase()),
  };
}

export const ratingLinks = (secret: string): RatingLinks => signedLinks(secret, 'rate');
export const acknowledgeLinks = (secret: string): AcknowledgeLinks => signedLinks(secret, 'ack');
