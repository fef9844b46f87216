import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  Injector,
  inject,
  input,
  resource,
  signal,
} from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { ConfirmDialog } from '../confirm-dialog';
import { focusFirstError } from '../focus-first-error';
import { type Application, ManagementApi, problemOf } from '../management-api';
import { Notices } from '../notices';
import { APP_TYPE_LABELS, isConfidential, typesReachableFrom } from './app-types';
import { ApplicationFields } from './application-fields';
import { applicationForm, formValues, resetApplicationForm } from './application-form';
import { applicationInput } from './application-values';
import { CreatedSecret } from './created-secret';
import { SecretOnce } from './secret-once';
import { applicationProblems } from './submit-problems';

/**
 * One application: its client id, its settings (the article's fields) to edit, its secret to
 * rotate (confidential types; the new one shown once), and its deletion. Rotating and deleting
 * ask first.
 */
@Component({
  selector: 'app-application-page',
  imports: [ReactiveFormsModule, RouterLink, ApplicationFields, ConfirmDialog, SecretOnce],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './application-page.html',
})
export class ApplicationPage {
  readonly #api = inject(ManagementApi);
  readonly #router = inject(Router);
  readonly #notices = inject(Notices);
  readonly #secrets = inject(CreatedSecret);
  readonly #injector = inject(Injector);
  /** The `:id` of the route: the client id. */
  readonly id = input.required<string>();

  protected readonly labels = APP_TYPE_LABELS;
  protected readonly isConfidential = isConfidential;
  protected readonly application = resource({
    params: () => ({ id: this.id() }),
    loader: ({ params }) => this.#api.application(params.id),
  });
  protected readonly loadProblem = computed(() => {
    const error = this.application.error();
    return error === undefined ? undefined : problemOf(error);
  });
  protected readonly form = applicationForm();
  protected readonly types = computed(() =>
    this.application.hasValue() ? typesReachableFrom(this.application.value().app_type) : [],
  );
  /** A secret made just now (at creation, or by rotating), shown once. */
  protected readonly secret = signal<{ value: string; heading: string } | undefined>(undefined);
  protected readonly saving = signal(false);
  protected readonly saved = signal('');
  protected readonly fieldErrors = signal<Record<string, string>>({});
  protected readonly formError = signal<string | undefined>(undefined);
  protected readonly actionError = signal<string | undefined>(undefined);
  protected readonly busy = signal(false);

  constructor() {
    effect(() => {
      if (!this.application.hasValue()) return;
      const app = this.application.value();
      resetApplicationForm(this.form, app);
      const created = this.#secrets.take(app.client_id);
      if (created) this.secret.set({ value: created, heading: `${app.name} is created: its client secret` });
    });
  }

  protected async save(app: Application): Promise<void> {
    if (this.saving()) return;
    this.saving.set(true);
    this.saved.set('');
    this.fieldErrors.set({});
    this.formError.set(undefined);
    try {
      const updated = await this.#api.updateApplication(
        app.client_id,
        applicationInput(formValues(this.form)),
      );
      this.application.set(updated);
      this.saved.set('Changes saved.');
    } catch (error) {
      const problems = applicationProblems(problemOf(error));
      this.fieldErrors.set(problems.fields);
      this.formError.set(problems.form);
      focusFirstError(this.#injector);
    } finally {
      this.saving.set(false);
    }
  }

  protected async rotate(app: Application): Promise<void> {
    await this.#act(async () => {
      const rotated = await this.#api.rotateSecret(app.client_id);
      if (rotated.client_secret) {
        this.secret.set({ value: rotated.client_secret, heading: 'The new client secret' });
      }
    });
  }

  protected async remove(app: Application): Promise<void> {
    await this.#act(async () => {
      await this.#api.deleteApplication(app.client_id);
      this.#notices.post(`The application ${app.name} is deleted.`);
      await this.#router.navigate(['/applications']);
    });
  }

  async #act(action: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(undefined);
    try {
      await action();
    } catch (error) {
      this.actionError.set(problemOf(error).message);
      focusFirstError(this.#injector);
    } finally {
      this.busy.set(false);
    }
  }
}
