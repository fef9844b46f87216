import type { Client, User } from '../storage/storage.js';

/** A client as an audit entry names it. */
export function clientFields(client: Pick<Client, 'clientId' | 'name'>): {
  clientId: string;
  clientName: string;
} {
  return { clientId: client.clientId, clientName: client.name };
}

/** A user as an audit entry names them: the id, and the email, else the username, else the name. */
export function userFields(user: Pick<User, 'id' | 'email' | 'username' | 'name'>): {
  userId: string;
  userName: string | null;
} {
  return { userId: user.id, userName: user.email ?? user.username ?? user.name ?? null };
}
