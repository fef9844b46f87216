import type { User } from '../storage/storage.js';

/** How the hosted pages name a user: their name, else their email, nickname, username or id. */
export function displayName(user: User): string {
  return user.name ?? user.email ?? user.nickname ?? user.username ?? user.id;
}
