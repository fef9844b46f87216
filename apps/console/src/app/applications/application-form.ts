import { FormControl, FormGroup } from '@angular/forms';
import type { AppType } from './app-types';
import type { Application } from './application';
import { type ApplicationValues, applicationValues } from './application-values';

/** The article's fields of an application, as the create and edit forms hold them. */
export type ApplicationForm = FormGroup<{
  name: FormControl<string>;
  type: FormControl<AppType>;
  callbacks: FormControl<string>;
  webOrigins: FormControl<string>;
  logoutUrls: FormControl<string>;
}>;

/** A form with an application's values, or empty (a Single Page Application) for a new one. */
export function applicationForm(from?: Application): ApplicationForm {
  const values = applicationValues(from);
  return new FormGroup({
    name: new FormControl(values.name, { nonNullable: true }),
    type: new FormControl<AppType>(values.type, { nonNullable: true }),
    callbacks: new FormControl(values.callbacks, { nonNullable: true }),
    webOrigins: new FormControl(values.webOrigins, { nonNullable: true }),
    logoutUrls: new FormControl(values.logoutUrls, { nonNullable: true }),
  });
}

/** Puts an application's values back into the form. */
export function resetApplicationForm(form: ApplicationForm, from: Application): void {
  form.reset(applicationValues(from));
}

/** What the form says now. */
export function formValues(form: ApplicationForm): ApplicationValues {
  return form.getRawValue();
}
