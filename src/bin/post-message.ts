// One message POSTed to the panel's intake with Node's own http/https: no connection kept, one
// deadline for the whole exchange, and at most a small answer read back.
import http from 'node:http';
import https from 'node:https';

export type PostResult =
  { answered: true; status: number; body: string; location: string | null } | { answered: false; reason: string; timedOut: boolean };

/** The panel's answers are short JSON; anything longer is cut. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function postMessage(url: URL, secret: string, message: Buffer, timeoutMs: number): Promise<PostResult> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'Content-Type': 'message/rfc822',
        'Content-Length': String(message.length),
        Authorization: `Bearer ${secret}`,
        Accept: 'application/json',
        Connection: 'close',
        'User-Agent': 'support-requests-pipe',
      },
    });
    const deadline = setTimeout(() => {
      settle({ answered: false, reason: `no answer within ${timeoutMs / 1000} s`, timedOut: true });
      req.destroy();
    }, timeoutMs);
    // Set once the status line is in: from then on, a connection cut short changes nothing.
    let answer: (() => void) | null = null;
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      answer = () =>
        settle({
          answered: true,
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString('utf8'),
          location: res.headers.location ?? null,
        });
      res.on('end', answer);
      res.on('error', answer);
      res.on('close', answer);
    });
    // A write cut short after the panel answered (it refused before reading the whole message) is the answer's.
    req.on('error', (err: NodeJS.ErrnoException) =>
      answer ? answer() : settle({ answered: false, reason: err.code ?? err.message, timedOut: false }),
    );
    req.end(message);
  });
}
