// A real TCP proxy in front of a database server, to play the network failing: it can stop
// (the database is unreachable), and it can cut one connection right around a COMMIT.
import net from 'node:net';

export type CommitCut =
  /** COMMIT reaches the server, which commits; the client never hears back. */
  | 'after-commit'
  /** The connection drops just before COMMIT; the server rolls back. */
  | 'before-commit';

interface Armed {
  /** The statement that marks the connection whose next COMMIT is cut. */
  marker: RegExp;
  mode: CommitCut;
  done: () => void;
}

export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private armed: Armed | null = null;

  private constructor(
    private readonly target: { host: string; port: number },
    public port: number,
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target, 0);
    await proxy.listen();
    return proxy;
  }

  /** Accepts connections again (on the same port after stop()). */
  listen(): Promise<void> {
    const server = net.createServer((client) => this.pipe(client));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        this.port = (server.address() as net.AddressInfo).port;
        resolve();
      });
    });
  }

  /** The database becomes unreachable: open connections drop, new ones are refused. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Cuts the first connection that sends `marker` at its next COMMIT. Resolves once cut; with
   * 'after-commit', once the server has answered the COMMIT (so it did commit).
   */
  cutAtCommit(marker: RegExp, mode: CommitCut): Promise<void> {
    return new Promise((resolve) => {
      this.armed = { marker, mode, done: resolve };
    });
  }

  private pipe(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    this.sockets.add(client).add(upstream);
    let marked = false;
    let cutting: Armed | null = null;
    client.on('data', (chunk: Buffer) => {
      const armed = this.armed;
      const text = chunk.toString('latin1');
      if (armed && armed.marker.test(text)) marked = true;
      // A message that is only the statement COMMIT (PostgreSQL's simple query, MySQL's COM_QUERY).
      if (armed && marked && /[^\w-]COMMIT;?\u0000?$/i.test(text)) {
        this.armed = null;
        cutting = armed;
        client.destroy();
        if (armed.mode === 'before-commit') {
          upstream.destroy();
          armed.done();
        } else {
          upstream.write(chunk);
        }
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cutting) return void client.write(chunk);
      // The server's answer to COMMIT: it committed, and nobody hears it.
      upstream.destroy();
      cutting.done();
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', end).on('close', () => {
      if (!cutting) end();
    });
    upstream.on('error', end).on('close', end);
  }
}
