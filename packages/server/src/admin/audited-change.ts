import type { ServerContext } from '../server-context.js';
import type { AdminActor } from './admin.js';
import { AdminError } from './admin-error.js';

/**
 * What a change is made to, for its audit entry: its id(s) (`target`), and how to read it as
 * stored, before and after (undefined or null: absent). Reads may hold secrets (hashes, sealed
 * values): the audit log leaves them out and names a changed one only.
 */
export interface ChangeSubject {
  target: Record<string, string>;
  read?: () => Promise<object | null | undefined>;
}

/**
 * Runs `change` as `actor` and records it: `sapi` with `subject`'s target and what it was before
 * and after (`ctx.audit.change`), or `fapi` with the reason when `change` (or finding its subject)
 * throws an `AdminError`, which is rethrown. Any other error is a fault, not a refusal: it is
 * rethrown unrecorded. `subject` is a function so that finding it (a user by login) may refuse too.
 */
export async function auditedChange<T>(
  ctx: ServerContext,
  actor: AdminActor,
  description: string,
  subject: () => ChangeSubject | Promise<ChangeSubject>,
  change: () => Promise<T>,
): Promise<T> {
  let found: ChangeSubject | undefined;
  try {
    found = await subject();
    const before = (await found.read?.()) ?? null;
    const result = await change();
    const after = (await found.read?.()) ?? null;
    await ctx.audit.change(actor, { description, target: found.target, before, after });
    return result;
  } catch (error) {
    if (error instanceof AdminError) await ctx.audit.refusal(actor, description, error, found?.target);
    throw error;
  }
}

/**
 * Runs `change`, which creates something whose id only its result tells (`subjectOf`), and
 * records it as `auditedChange` does, with nothing before.
 */
export async function auditedCreate<T>(
  ctx: ServerContext,
  actor: AdminActor,
  description: string,
  change: () => Promise<T>,
  subjectOf: (result: T) => ChangeSubject,
): Promise<T> {
  try {
    const result = await change();
    const subject = subjectOf(result);
    const after = (await subject.read?.()) ?? null;
    await ctx.audit.change(actor, { description, target: subject.target, before: null, after });
    return result;
  } catch (error) {
    if (error instanceof AdminError) await ctx.audit.refusal(actor, description, error);
    throw error;
  }
}

/** The subjects of `Admin`'s changes, read as stored (the audit log leaves their secrets out). */
export const subjects = {
  client: (ctx: ServerContext, clientId: string): ChangeSubject => ({
    target: { client_id: clientId },
    read: async () => {
      const client = await ctx.storage.clients.get(clientId);
      if (!client) return null;
      const connections = await ctx.storage.connections.forClient(clientId);
      return { ...client, connections: connections.map((connection) => connection.name) };
    },
  }),
  api: (ctx: ServerContext, identifier: string): ChangeSubject => ({
    target: { api: identifier },
    read: () => ctx.storage.apis.get(identifier),
  }),
  user: (ctx: ServerContext, userId: string): ChangeSubject => ({
    target: { user_id: userId },
    read: async () => {
      const user = await ctx.storage.users.get(userId);
      if (!user) return null;
      return { ...user, roles: (await ctx.storage.roles.forUser(userId)).map((role) => role.name) };
    },
  }),
  /** A role by name (`warden roles add`, which creates it or adds to it). */
  role: (ctx: ServerContext, name: string): ChangeSubject => ({
    target: { role: name },
    read: () => ctx.storage.roles.get(name),
  }),
  /** A role by its id, which stays when it is renamed. */
  roleById: (ctx: ServerContext, id: string): ChangeSubject => ({
    target: { role_id: id },
    read: () => ctx.storage.roles.byId(id),
  }),
  /** A role's name and which of `userIds` have it (not every member: there may be many). */
  roleUsers: (ctx: ServerContext, id: string, userIds: readonly string[]): ChangeSubject => ({
    target: { role_id: id },
    read: async () => {
      const role = await ctx.storage.roles.byId(id);
      if (!role) return null;
      const users: string[] = [];
      for (const userId of Array.isArray(userIds) ? userIds : []) {
        const roles = await ctx.storage.roles.forUser(String(userId));
        if (roles.some((held) => held.id === id)) users.push(String(userId));
      }
      return { name: role.name, users };
    },
  }),
  connection: (ctx: ServerContext, name: string): ChangeSubject => ({
    target: { connection: name },
    read: () => ctx.storage.connections.get(name),
  }),
  /** The signing keys, by id, alg and status. */
  keys: (ctx: ServerContext): ChangeSubject => ({
    target: { keys: 'signing' },
    read: async () => ({
      keys: (await ctx.storage.keys.list()).map(({ kid, alg, status }) => ({ kid, alg, status })),
    }),
  }),
  key: (ctx: ServerContext, kid: string): ChangeSubject => ({
    target: { kid },
    read: async () => (await ctx.storage.keys.list()).find((key) => key.kid === kid) ?? null,
  }),
};
