import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { createAppConfig } from './app/app-config';
import { loadConsoleConfig } from './app/console-config';

/** Reads config.json (the idp's issuer and the console's client), then starts the console. */
loadConsoleConfig()
  .then((config) => bootstrapApplication(App, createAppConfig(config)))
  .catch((error: unknown) => showStartupError(error));

function showStartupError(error: unknown): void {
  console.error(error);
  const box = document.createElement('div');
  box.className = 'startup-error';
  box.setAttribute('role', 'alert');
  box.dataset.testid = 'app-error';
  const title = document.createElement('strong');
  title.textContent = 'The Warden console could not start.';
  const detail = document.createElement('p');
  detail.textContent = error instanceof Error ? error.message : String(error);
  box.append(title, detail);
  document.body.replaceChildren(box);
}
