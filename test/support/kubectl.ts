import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the real kubectl with a kubeconfig as a user would (own cache dir, so discovery never leaks between tests).
 * `env` adds to the environment (e.g. PATH with a kubectl plugin for exec kubeconfigs).
 */
export function kubectl(
  kubeconfig: string,
  args: string[],
  timeoutMs = 20000,
  env: Record<string, string> = {},
): Promise<KubectlResult> {
  const dir = mkdtempSync(join(tmpdir(), 'kbt-kubectl-'));
  const file = join(dir, 'kubeconfig.yaml');
  writeFileSync(file, kubeconfig, { mode: 0o600 });
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', file, '--cache-dir', join(dir, 'cache'), '--request-timeout', '10s', ...args],
      { timeout: timeoutMs, env: { ...process.env, ...env, KUBECONFIG: file } },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 1
          : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
