import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const REGISTER = join(__dirname, 'swc-register.js');
const MAIN = join(ROOT, 'src', 'main.ts');

/**
 * The broker as its own operating-system process (`node src/main.ts` through swc, so it always runs the
 * current sources; no build needed), for what an in-process broker cannot show: a `kill -9` in the
 * middle of work, and everything the process writes to stdout/stderr.
 */
export class BrokerProcess {
  private readonly chunks: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout?.on('data', (c: Buffer) => this.chunks.push(c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => this.chunks.push(c.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts the broker with exactly these settings (plus PATH/HOME) and waits until /healthz answers. */
  static async start(env: Record<string, string>, startTimeoutMs = 45000): Promise<BrokerProcess> {
    const port = env.PORT;
    if (!port) {
      throw new Error('BrokerProcess.start needs a PORT');
    }
    const child = spawn(process.execPath, ['--no-warnings', '-r', REGISTER, MAIN], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const broker = new BrokerProcess(child, `http://127.0.0.1:${port}`);
    const deadline = Date.now() + startTimeoutMs;
    let exited = false;
    void broker.exited.then(() => (exited = true));
    while (Date.now() < deadline && !exited) {
      try {
        if ((await fetch(`${broker.url}/healthz`)).status === 200) {
          return broker;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    throw new Error(`the broker process did not come up (${exited ? 'it exited' : 'timeout'}):\n${broker.output()}`);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Everything the process wrote to stdout and stderr so far. */
  output(): string {
    return this.chunks.join('');
  }

  /** kill -9: no shutdown hook runs, in-flight work is cut wherever it is. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    const { signal } = await this.exited;
    if (signal !== 'SIGKILL') {
      throw new Error(`expected the broker to die of SIGKILL, it ended with ${signal}`);
    }
  }

  /** SIGTERM, the graceful way; resolves with the exit code. */
  async terminate(): Promise<number | null> {
    this.child.kill('SIGTERM');
    return (await this.exited).code;
  }
}
