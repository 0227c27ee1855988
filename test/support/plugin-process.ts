// The real plugin in a process of its own, on a database and data folder the test chooses, so a
// test can kill it with SIGKILL mid-request and start again on what it left. Run as a script it
// is the child: it starts the plugin, serves it on a free port and prints {"port": N}.
import { spawn, type ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import knexFactory, { type Knex } from 'knex';
import type { TestDatabase } from './databases';
import { startPlugin } from './test-host';

interface ChildConfig {
  name: TestDatabase['name'];
  knex: Knex.Config;
  prefix: string;
  dataDir: string;
}

/** A TestDatabase whose connections all reach the database `knex` is connected to (the same SQLite file too). */
export function sameDatabase(name: TestDatabase['name'], knex: Knex): TestDatabase {
  return databaseWith(name, knex.client.config as Knex.Config);
}

function databaseWith(name: TestDatabase['name'], config: Knex.Config): TestDatabase {
  return {
    name,
    connect() {
      const other = knexFactory(config);
      return { knex: other, release: () => other.destroy() };
    },
  };
}

export interface PluginProcess {
  child: ChildProcess;
  /** The plugin's mount point, e.g. http://127.0.0.1:40000/support/requests */
  baseUrl: string;
  port: number;
  /** Kills the process with SIGKILL and waits until it is gone. */
  kill(): Promise<void>;
}

/** Starts the plugin in a child process; resolves once it listens. */
export function spawnPlugin(name: TestDatabase['name'], knex: Knex, at: { prefix: string; dataDir: string }): Promise<PluginProcess> {
  const config: ChildConfig = { name, knex: knex.client.config as Knex.Config, ...at };
  const child = spawn(process.execPath, [__filename], {
    env: { ...process.env, SUPPORT_PLUGIN_PROCESS: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /\{"port":(\d+)\}/.exec(stdout)?.[1];
      if (port) {
        resolve({
          child,
          port: Number(port),
          baseUrl: `http://127.0.0.1:${port}/support/requests`,
          async kill() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`plugin process ended before listening (${code ?? signal}): ${stderr}`)));
  });
}

async function runChild(config: ChildConfig): Promise<void> {
  const t = await startPlugin(databaseWith(config.name, config.knex), {}, { at: { prefix: config.prefix, dataDir: config.dataDir } });
  const server = t.app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
}

if (require.main === module) {
  runChild(JSON.parse(process.env.SUPPORT_PLUGIN_PROCESS ?? '{}') as ChildConfig).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
