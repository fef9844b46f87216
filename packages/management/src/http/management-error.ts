import { z } from '@hono/zod-openapi';

/** The reason phrases of the statuses the management API answers with. */
const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Auth0's error body: `{ statusCode, error, message, errorCode }`. */
export const ErrorBody = z
  .object({
    statusCode: z.number().int().openapi({ example: 404 }),
    error: z.string().openapi({ example: 'Not Found' }),
    message: z.string().openapi({ example: 'The client does not exist' }),
    errorCode: z.string().optional().openapi({ example: 'inexistent_client' }),
  })
  .openapi('Error');

export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * A refusal of the management API, answered in Auth0's error body with `status`. `message` is
 * sent to the caller: it names the field or parameter and never holds a secret.
 */
export class ManagementError extends Error {
  override name = 'ManagementError';
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    errorCode: string | undefined,
    message: string,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.errorCode = errorCode;
    this.headers = headers;
  }

  body(): ErrorBody {
    return {
      statusCode: this.status,
      error: REASONS[this.status] ?? 'Error',
      message: this.message,
      ...(this.errorCode === undefined ? {} : { errorCode: this.errorCode }),
    };
  }

  toResponse(): Response {
    return Response.json(this.body(), {
      status: this.status,
      headers: { 'cache-control': 'no-store', ...this.headers },
    });
  }
}
