/**
 * User passwords: policy, hashing (argon2id) and verification without user enumeration.
 */
import { randomUUID } from 'node:crypto';
import { type Algorithm, hash, parseOptions, verify } from '@node-rs/argon2';

/** Shortest accepted password, in characters (NIST SP 800-63B minimum). */
export const PASSWORD_MIN_LENGTH = 8;
/** Longest accepted password, in characters: bounds the work one login attempt can cause. */
export const PASSWORD_MAX_LENGTH = 256;

/** argon2id, 19 MiB, 2 passes, 1 lane: OWASP's recommended minimum. */
const ARGON2_OPTIONS = {
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Checks a new password against the policy: 8 to 256 characters (Unicode code points, after
 * NFKC normalization, so a character typed in either composed or decomposed form counts once).
 * Returns a message to show the user, or null when the password is acceptable.
 *
 * It does NOT check composition rules (on purpose) nor breached-password lists.
 */
export function checkPasswordPolicy(password: string): string | null {
  const length = [...normalize(password)].length;
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Password must be at most ${PASSWORD_MAX_LENGTH} characters.`;
  return null;
}

/**
 * Hashes a password with argon2id (m=19456 KiB, t=2, p=1) and a random salt; returns the PHC
 * string (`$argon2id$v=19$m=19456,t=2,p=1$…`). The password is NFKC-normalized first. Runs off
 * the main thread. Does NOT apply the policy: call `checkPasswordPolicy` first.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(normalize(password), ARGON2_OPTIONS);
}

/**
 * True when `password` matches `passwordHash` (a PHC string from `hashPassword`, or an argon2
 * hash with other parameters). False on mismatch and on a malformed hash. Takes the time of one
 * argon2 verification, match or not; pair it with `createDummyPasswordCheck` for unknown users.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, normalize(password));
  } catch {
    return false;
  }
}

/**
 * True when `passwordHash` was made with other parameters than `hashPassword` uses now (or is
 * not an argon2 hash): after a successful login, hash the password again and store that.
 */
export function passwordNeedsRehash(passwordHash: string): boolean {
  try {
    const used = parseOptions(passwordHash);
    return (
      used.algorithm !== ARGON2_OPTIONS.algorithm ||
      used.memoryCost !== ARGON2_OPTIONS.memoryCost ||
      used.timeCost !== ARGON2_OPTIONS.timeCost ||
      used.parallelism !== ARGON2_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}

/**
 * A check to run instead of `verifyPassword` when no user has the login given, so an unknown
 * user costs the same argon2 verification as a wrong password and response times do not reveal
 * which logins exist. The returned function always resolves false.
 *
 * The reference hash (of a random password, same parameters as `hashPassword`) is made once, on
 * first use; call `warmUp()` at start so that first use is not slower than the rest.
 */
export function createDummyPasswordCheck(): {
  check(password: string): Promise<false>;
  warmUp(): Promise<void>;
} {
  let reference: Promise<string> | undefined;
  const referenceHash = (): Promise<string> => {
    reference ??= hashPassword(randomUUID());
    return reference;
  };
  return {
    async check(password) {
      await verifyPassword(await referenceHash(), password);
      return false;
    },
    async warmUp() {
      await referenceHash();
    },
  };
}

function normalize(password: string): string {
  return password.normalize('NFKC');
}

const sharedDummyCheck = createDummyPasswordCheck();

/**
 * `createDummyPasswordCheck().check` on one process-wide reference hash: call it where
 * `verifyPassword` would run when the login names no user. Always resolves false.
 */
export function verifyPasswordOfUnknownUser(password: string): Promise<false> {
  return sharedDummyCheck.check(password);
}
