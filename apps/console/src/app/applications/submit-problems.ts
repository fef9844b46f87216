import { type ApiProblem, fieldProblems } from '../api-problem';
import { APPLICATION_FIELDS } from './application-values';

/**
 * Where a refusal of the application form is shown: a 400 naming fields, next to them; anything
 * else (or a 400 naming none), above the form.
 */
export function applicationProblems(problem: ApiProblem): {
  fields: Record<string, string>;
  form: string | undefined;
} {
  const fields = problem.status === 400 ? fieldProblems(problem.message, APPLICATION_FIELDS) : {};
  return { fields, form: Object.keys(fields).length === 0 ? problem.message : undefined };
}
