import { ChangeDetectionStrategy, Component, Injector, inject, signal } from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { focusFirstError } from '../focus-first-error';
import { ManagementApi, problemOf } from '../management-api';
import { ApplicationFields } from './application-fields';
import { applicationForm, formValues } from './application-form';
import { applicationInput } from './application-values';
import { CreatedSecret } from './created-secret';
import { applicationProblems } from './submit-problems';

/**
 * "Create application": the article's fields. The new application's page opens next, with its
 * client secret shown once for the types that have one.
 */
@Component({
  selector: 'app-create-application-page',
  imports: [ReactiveFormsModule, RouterLink, ApplicationFields],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <a routerLink="/applications">Applications</a>
    </nav>
    <div class="page-header">
      <h1>Create application</h1>
    </div>
    <form class="card form-card" [formGroup]="form" (ngSubmit)="create()" data-testid="create-form">
      @if (formError(); as message) {
        <div class="alert alert--error" role="alert" tabindex="-1" data-testid="form-error">{{ message }}</div>
      }
      <app-application-fields [form]="form" [errors]="fieldErrors()" />
      <div class="form-actions">
        <button type="submit" class="button button--primary" [disabled]="busy()" data-testid="submit-create">
          {{ busy() ? 'Creating…' : 'Create' }}
        </button>
        <a class="button button--secondary" routerLink="/applications">Cancel</a>
      </div>
    </form>
  `,
})
export class CreateApplicationPage {
  readonly #api = inject(ManagementApi);
  readonly #router = inject(Router);
  readonly #secrets = inject(CreatedSecret);
  readonly #injector = inject(Injector);
  protected readonly form = applicationForm();
  protected readonly busy = signal(false);
  protected readonly fieldErrors = signal<Record<string, string>>({});
  protected readonly formError = signal<string | undefined>(undefined);

  protected async create(): Promise<void> {
    if (this.busy()) return;
    this.busy.set(true);
    this.fieldErrors.set({});
    this.formError.set(undefined);
    try {
      const created = await this.#api.createApplication(applicationInput(formValues(this.form)));
      if (created.client_secret) this.#secrets.put(created.client_id, created.client_secret);
      await this.#router.navigate(['/applications', created.client_id]);
    } catch (error) {
      const problems = applicationProblems(problemOf(error));
      this.fieldErrors.set(problems.fields);
      this.formError.set(problems.form);
      this.busy.set(false);
      focusFirstError(this.#injector);
    }
  }
}
