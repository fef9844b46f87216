import { describe, expect, it } from 'vitest';
import { apiProblem, fieldProblems, isNotAdministrator } from '../src/app/api-problem.js';
import { APPLICATION_FIELDS } from '../src/app/applications/application-values.js';

describe('the API refusals the console shows', () => {
  it("shows the management API's own message, with a sentence of its own for an empty answer", () => {
    expect(
      apiProblem(404, {
        statusCode: 404,
        error: 'Not Found',
        message: 'The client does not exist',
        errorCode: 'inexistent_client',
      }),
    ).toEqual({ status: 404, errorCode: 'inexistent_client', message: 'The client does not exist' });
    expect(apiProblem(0, null).message).toMatch(/cannot be reached/);
    expect(apiProblem(502, 'Bad Gateway').message).toMatch(/failed \(502\)/);
    expect(apiProblem(429, {}).message).toMatch(/Too many requests/);
  });

  it('tells a user who is not an administrator from other refusals', () => {
    const notAdmin = apiProblem(403, {
      statusCode: 403,
      message: 'The console is for administrators of Warden: the user needs the role warden:admin',
      errorCode: 'insufficient_scope',
    });
    expect(isNotAdministrator(notAdmin)).toBe(true);
    const scope = apiProblem(403, { message: 'Insufficient scope, expected all of: delete:clients' });
    expect(isNotAdministrator(scope)).toBe(false);
  });
});

describe('which field of the application form a 400 names', () => {
  const fields = (message: string) => fieldProblems(message, APPLICATION_FIELDS);

  it('puts a schema error next to the property it names, the whole message shown', () => {
    const message =
      "Payload validation error: 'Too small: expected string to have >=1 characters' on property name.";
    expect(fields(message)).toEqual({ name: message });
    const urls =
      "Payload validation error: 'Invalid input' on property callbacks.0; 'Too big' on property allowed_logout_urls.";
    expect(fields(urls)).toEqual({ callbacks: urls, logoutUrls: urls });
  });

  it("puts the domain's errors next to the field they start with or name first", () => {
    expect(fields('callbacks must be an absolute URL: not a url')).toEqual({
      callbacks: 'callbacks must be an absolute URL: not a url',
    });
    expect(fields('at least one callbacks is required')).toEqual({
      callbacks: 'at least one callbacks is required',
    });
    // Warden's one list of origins answers as allowed_origins or web_origins: both are the same field.
    expect(Object.keys(fields('allowed_origins is scheme://host[:port] only: http://a.example/x'))).toEqual([
      'webOrigins',
    ]);
    expect(
      Object.keys(
        fields(
          "Payload validation error: 'Warden has one list of origins: give allowed_origins, or the same list in both' on property web_origins.",
        ),
      ),
    ).toEqual(['webOrigins']);
  });

  it('names no field when the message names none (it is shown above the form)', () => {
    expect(fields('a spa client is public: it has no secret')).toEqual({});
    // A property name inside a longer word is not the property.
    expect(fields('the client_name_x is odd')).toEqual({});
  });
});
