import { AdminError } from '@warden/server';
import { ManagementError } from './management-error.js';

/** How one resource's domain errors are answered. */
export interface ResourceErrors {
  /** `errorCode` of a 404 (`inexistent_client`). */
  notFound: string;
  /** `errorCode` of a 409 (`client_conflict`). */
  conflict: string;
  /** The API's name for a CLI flag an `AdminError` names (`--callback` → `callbacks`). */
  fields: Readonly<Record<string, string>>;
  /** The name of a flag not in `fields` (default: `--x-y` → `x_y`). */
  otherField?: (flag: string) => string;
}

/**
 * Runs a domain operation and answers its `AdminError` with the status of its code: `invalid` 400
 * (`invalid_body`), `not_found` 404, `conflict` 409. The message names the API's field where the
 * domain names a CLI flag. Other errors pass through (a 500 is a bug).
 */
export async function adminCall<T>(errors: ResourceErrors, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    const message = fieldNames(error.message, errors);
    if (error.code === 'not_found') throw new ManagementError(404, errors.notFound, message);
    if (error.code === 'conflict') throw new ManagementError(409, errors.conflict, message);
    throw new ManagementError(400, 'invalid_body', message);
  }
}

function fieldNames(message: string, errors: ResourceErrors): string {
  const other = errors.otherField ?? ((flag: string) => flag.replaceAll('-', '_'));
  return message.replace(/--([a-z][a-z-]*)/g, (_, flag: string) => errors.fields[flag] ?? other(flag));
}
