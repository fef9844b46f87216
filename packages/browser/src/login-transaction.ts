import type { StorageLike } from './window-like.js';

/** What a sign-in must remember across its redirect: kept in sessionStorage under its `state`. */
export interface LoginTransaction {
  codeVerifier: string;
  nonce: string;
  /** Where the app returns after the callback: a path on this origin. */
  returnTo: string;
  /** A `prompt=none` attempt: `login_required` and its kin then mean "signed out", not a failure. */
  silent: boolean;
  createdAt: number;
}

const PREFIX = 'warden.tx.';
/** An unfinished sign-in older than this is dropped. */
const MAX_AGE_MS = 60 * 60 * 1000;

/** Saves a transaction under its state. */
export function saveTransaction(storage: StorageLike, state: string, transaction: LoginTransaction): void {
  storage.setItem(PREFIX + state, JSON.stringify(transaction));
}

/** True when a transaction waits under `state` (it is not consumed). */
export function hasTransaction(storage: StorageLike, state: string): boolean {
  return storage.getItem(PREFIX + state) !== null;
}

/**
 * Reads and removes the transaction saved under `state`: each is used at most once. Undefined when
 * there is none, or it is malformed.
 */
export function takeTransaction(storage: StorageLike, state: string): LoginTransaction | undefined {
  const text = storage.getItem(PREFIX + state);
  if (text === null) return undefined;
  storage.removeItem(PREFIX + state);
  const transaction = parse(text);
  return transaction;
}

/** Removes transactions older than an hour (sign-ins the user abandoned at the idp). */
export function pruneTransactions(storage: StorageLike, now: number): void {
  const stale: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key?.startsWith(PREFIX)) {
      const transaction = parse(storage.getItem(key) ?? '');
      if (!transaction || now - transaction.createdAt > MAX_AGE_MS) stale.push(key);
    }
  }
  for (const key of stale) storage.removeItem(key);
}

function parse(text: string): LoginTransaction | undefined {
  try {
    const value = JSON.parse(text) as Partial<LoginTransaction> | null;
    if (
      typeof value?.codeVerifier === 'string' &&
      typeof value.nonce === 'string' &&
      typeof value.returnTo === 'string' &&
      typeof value.silent === 'boolean' &&
      typeof value.createdAt === 'number'
    ) {
      return value as LoginTransaction;
    }
  } catch {
    // malformed: treated as absent
  }
  return undefined;
}
