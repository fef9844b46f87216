import type { AdminActor } from '../admin/admin.js';
import type { Logger } from '../config.js';
import type { NewLogEntry, Storage } from '../storage/storage.js';
import { toAuth0Log } from './auth0-log.js';
import { describeChange, withoutSecrets } from './leave-out-secrets.js';
import { type LogType, logTypes } from './log-types.js';
import { currentRequestOrigin } from './request-origin.js';

/** One event to record; the fields of Auth0's log shape, every one optional but the type. */
export interface AuditEvent {
  type: LogType;
  /** What happened, or why it failed; default: the name of the type (`logTypes`). */
  description?: string;
  clientId?: string | null;
  clientName?: string | null;
  connection?: string | null;
  userId?: string | null;
  userName?: string | null;
  /** Default: the IP of the request being answered (`withRequestOrigin`), else none. */
  ip?: string | null;
  /** Default: the user agent of the request being answered, else none. */
  userAgent?: string | null;
  /** The reason of a failure and whatever else helps; fields named as secrets are left out. */
  details?: Record<string, unknown>;
}

/** A change made through `Admin`, for its `sapi` entry. */
export interface AdminChange {
  /** What was done, in Auth0's words: `Create a client`, `Update a connection`. */
  description: string;
  /** What it was done to, by id: `{ client_id }`, `{ user_id }`, `{ connection }`, `{ api }`. */
  target: Record<string, string>;
  /** The thing before (null for a create): a view of it, its secrets are left out anyway. */
  before: object | null;
  /** The thing after (null for a delete). */
  after: object | null;
}

export interface AuditLogOptions {
  storage: Pick<Storage, 'logs'>;
  logger: Logger;
  /** Epoch milliseconds: the server's clock. */
  clock: () => number;
  /** The name of a client by its id, for entries of a management API client; undefined if none. */
  clientName?: (clientId: string) => Promise<string | undefined>;
}

/**
 * The audit log (`ctx.audit`): appends every security-relevant event to `storage.logs` and emits
 * it as a pino line (`logger.info({ log }, 'audit')`, Auth0's shape with its `log_id`) for a log
 * pipeline.
 *
 * Never throws into the request: when the append fails the entry is logged instead, as
 * `logger.error({ log, err }, 'audit entry not written')`, so no event is lost silently. Leaves
 * out every field named as a secret (`withoutSecrets`) from `details`. Does NOT check that the
 * other fields hold no secret: callers pass ids, names, addresses.
 */
export class AuditLog {
  readonly #options: AuditLogOptions;

  constructor(options: AuditLogOptions) {
    this.#options = options;
  }

  /** Records `event` at the clock's time, with the request's IP and user agent unless given. */
  async record(event: AuditEvent): Promise<void> {
    let entry: NewLogEntry;
    try {
      entry = this.#entry(event);
    } catch (error) {
      this.#lost(event, error);
      return;
    }
    let stored: Awaited<ReturnType<Storage['logs']['append']>>;
    try {
      stored = await this.#options.storage.logs.append(entry);
    } catch (error) {
      this.#lost(toAuth0Log(entry), error);
      return;
    }
    try {
      this.#options.logger.info({ log: toAuth0Log(stored) }, 'audit');
    } catch {
      // The entry is stored; a logger that throws changes nothing about the request.
    }
  }

  /**
   * Records a management change (`sapi`): who made it (`actor`: its client and user are the
   * entry's `client_id` and `user_id`, as in Auth0), what it was done to, and the before/after of
   * the changed fields without secrets (`describeChange`).
   */
  async change(actor: AdminActor, change: AdminChange): Promise<void> {
    await this.record({
      type: 'sapi',
      description: change.description,
      ...(await this.#actorFields(actor)),
      details: {
        actor: actorDetails(actor),
        target: change.target,
        ...describeChange(change.before, change.after),
      },
    });
  }

  /**
   * Records a management change that was refused (`fapi`): who asked, what (`description`), to
   * what when that is known (`target`), and why (the error's `code` when it has one, as `type`,
   * and its message).
   */
  async refusal(
    actor: AdminActor,
    description: string,
    error: Error & { code?: unknown },
    target?: Record<string, string>,
  ): Promise<void> {
    await this.record({
      type: 'fapi',
      description,
      ...(await this.#actorFields(actor)),
      details: {
        actor: actorDetails(actor),
        ...(target ? { target } : {}),
        // `type`, not `code`: a field named `code` is left out as an authorization code would be.
        error: { ...(typeof error.code === 'string' ? { type: error.code } : {}), message: error.message },
      },
    });
  }

  #entry(event: AuditEvent): NewLogEntry {
    const origin = currentRequestOrigin();
    return {
      date: this.#options.clock(),
      type: event.type,
      description: event.description ?? logTypes[event.type] ?? null,
      clientId: event.clientId ?? null,
      clientName: event.clientName ?? null,
      connection: event.connection ?? null,
      userId: event.userId ?? null,
      userName: event.userName ?? null,
      ip: event.ip !== undefined ? event.ip : (origin?.ip ?? null),
      userAgent: event.userAgent !== undefined ? event.userAgent : (origin?.userAgent ?? null),
      details: event.details === undefined ? null : withoutSecrets(event.details),
    };
  }

  async #actorFields(actor: AdminActor): Promise<Partial<AuditEvent>> {
    let clientName: string | undefined;
    if (actor.clientId !== undefined && this.#options.clientName) {
      clientName = await this.#options.clientName(actor.clientId).catch(() => undefined);
    }
    return {
      clientId: actor.clientId ?? null,
      clientName: clientName ?? null,
      userId: actor.userId ?? null,
      ...(actor.ip !== undefined ? { ip: actor.ip } : {}),
      ...(actor.userAgent !== undefined ? { userAgent: actor.userAgent } : {}),
    };
  }

  #lost(log: unknown, error: unknown): void {
    try {
      this.#options.logger.error({ log, err: error }, 'audit entry not written');
    } catch {
      // Nothing more can be done without throwing into the request.
    }
  }
}

function actorDetails(actor: AdminActor): Record<string, string> {
  return {
    kind: actor.kind,
    ...(actor.clientId !== undefined ? { client_id: actor.clientId } : {}),
    ...(actor.userId !== undefined ? { user_id: actor.userId } : {}),
  };
}
