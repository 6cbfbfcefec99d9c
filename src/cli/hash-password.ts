import { hashPassword } from '../auth/password-hash';

/**
 * Prints a hash for OSB_BASIC_AUTH_USERS: `node dist/cli/hash-password.js <password>`
 * → `OSB_BASIC_AUTH_USERS=platform:<printed hash>`. Reads stdin when no argument is given, so the
 * password need not end up in the shell history: `printf %s "$PW" | node dist/cli/hash-password.js`.
 */
async function main(): Promise<void> {
  const password = process.argv[2] ?? (await readStdin());
  if (!password) {
    console.error('usage: hash-password <password>   (or the password on stdin)');
    process.exit(2);
  }
  console.log(hashPassword(password));
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    return '';
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
