/**
 * The centre as its own process (`node --import tsx src/server/main.ts`, configured by environment like
 * `npm start`), so a test can kill it with SIGKILL and start it again on the same data folder
 * and port; and a TCP proxy between the browser and the centre that the test can cut and
 * restore, which really closes the open WebSocket (Chromium's offline emulation does not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { PROJECT_ROOT } from '../server/config';

export interface CentreProcess {
  readonly port: number;
  readonly dataDir: string;
  /** The exam link main.ts printed at its last start (for the seeded candidate). */
  readonly examLink: string | null;
  readonly output: string;
  /** kill -9: no chance to close anything. */
  kill9(): Promise<void>;
  /** SIGTERM, as an operator would stop it. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * env: more settings (a node of several, with TANU_DATABASE_URL, TANU_REDIS_URL, TANU_NODE_ID…);
 * demoLink: false when the first start need not print a demo exam link (a node that may not be the one seeding).
 */
export async function startCentreProcess(options: {
  dataDir: string;
  port: number;
  password: string;
  publicUrl: string;
  env?: Record<string, string>;
  demoLink?: boolean;
}): Promise<CentreProcess> {
  let child: ChildProcess | null = null;
  let output = '';
  let examLink: string | null = null;

  // The first start asks for a demo exam link (the centre prints one only when seeding or asked);
  // a restart must not issue another, so it waits only for the centre to say it is running.
  const start = (withLink: boolean) =>
    new Promise<void>((resolve, reject) => {
      const from = output.length;
      // One process (node with tsx's loader), not the tsx wrapper: SIGKILL must hit the server itself.
      const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          PORT: String(options.port),
          HOST: '127.0.0.1',
          TANU_DATA_DIR: options.dataDir,
          TANU_DEMO_PASSWORD: options.password,
          TANU_PUBLIC_URL: options.publicUrl,
          TANU_PRINT_DEMO_LINKS: withLink ? '1' : '0',
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = proc;
      const timer = setTimeout(
        () => reject(new Error(`the centre did not start in ${START_TIMEOUT_MS} ms:\n${output.slice(-2000)}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const link = /(http\S+\/exam#t=[A-Za-z0-9_-]+)/.exec(output.slice(from));
        const running = output.indexOf('Tanu centre is running', from) >= 0;
        if (running && (link || !withLink)) {
          if (link) examLink = link[1]!;
          clearTimeout(timer);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', (c: Buffer) => void (output += c.toString()));
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the centre exited (${code ?? signal}) while starting:\n${output.slice(-2000)}`));
      });
    });

  const exited = (proc: ChildProcess) =>
    new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));

  await start(options.demoLink ?? true);
  return {
    port: options.port,
    dataDir: options.dataDir,
    get examLink() {
      return examLink;
    },
    get output() {
      return output;
    },
    async kill9() {
      const proc = child;
      if (!proc) return;
      proc.kill('SIGKILL');
      await exited(proc);
      child = null;
    },
    async stop() {
      const proc = child;
      if (!proc) return;
      proc.kill('SIGTERM');
      await exited(proc);
      child = null;
    },
    restart: () => start(false),
  };
}

export interface CuttableProxy {
  readonly url: string;
  readonly port: number;
  /** Closes every open connection and refuses new ones until restore(). */
  cut(): void;
  /**
   * Only the socket.io link goes down (open connections are closed, socket.io requests refused)
   * while pages and assets still load: a reload while the centre cannot be reached.
   */
  blockSocketIo(): void;
  restore(): void;
  /** From now on new connections go to this port (a load balancer moving to a node that is up). */
  retarget(port: number): void;
  close(): Promise<void>;
}

/** A TCP proxy from 127.0.0.1:<port> to the centre's port. */
export async function startProxy(targetPort: number): Promise<CuttableProxy> {
  let target = targetPort;
  let cut = false;
  let blockIo = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (cut) return void client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (d: Buffer) => {
      if (blockIo && /^(GET|POST) \/socket\.io\//.test(d.toString('latin1', 0, 24))) return drop();
      upstream.write(d);
    });
    upstream.pipe(client);
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)),
  );
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    cut() {
      cut = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    blockSocketIo() {
      blockIo = true;
      for (const s of open) s.destroy();
      open.clear();
    },
    restore() {
      cut = false;
      blockIo = false;
    },
    retarget(port) {
      target = port;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
