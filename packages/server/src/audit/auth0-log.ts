import type { LogEntry, NewLogEntry } from '../storage/storage.js';

/** A log entry as Auth0's Management API and log streams write it. */
export interface Auth0Log {
  log_id?: string;
  /** ISO 8601. */
  date: string;
  type: string;
  description?: string;
  client_id?: string;
  client_name?: string;
  connection?: string;
  user_id?: string;
  user_name?: string;
  ip?: string;
  user_agent?: string;
  details?: Record<string, unknown>;
}

/**
 * The entry in Auth0's shape: snake_case names, `date` in ISO 8601, fields without a value left
 * out (as Auth0 does). `log_id` only once the entry is stored.
 */
export function toAuth0Log(entry: LogEntry | NewLogEntry): Auth0Log {
  const log: Auth0Log = { date: new Date(entry.date).toISOString(), type: entry.type };
  if ('logId' in entry) log.log_id = entry.logId;
  const fields = {
    description: entry.description,
    client_id: entry.clientId,
    client_name: entry.clientName,
    connection: entry.connection,
    user_id: entry.userId,
    user_name: entry.userName,
    ip: entry.ip,
    user_agent: entry.userAgent,
  } as const;
  for (const [name, value] of Object.entries(fields)) {
    if (value !== null) log[name as keyof typeof fields] = value;
  }
  if (entry.details !== null) log.details = entry.details;
  return log;
}
