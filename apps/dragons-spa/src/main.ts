import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { createAppConfig } from './app/app-config';
import { loadRuntimeConfig } from './app/runtime-config';

/** Reads /config.json (issuer, API URL: set by the server, not baked into the build), then starts the app. */
loadRuntimeConfig()
  .then((config) => bootstrapApplication(App, createAppConfig(config)))
  .catch((error: unknown) => showStartupError(error));

function showStartupError(error: unknown): void {
  console.error(error);
  const box = document.createElement('div');
  box.className = 'startup-error';
  box.setAttribute('role', 'alert');
  box.dataset.testid = 'app-error';
  const title = document.createElement('strong');
  title.textContent = 'The Dragons app could not start.';
  const detail = document.createElement('p');
  detail.textContent = error instanceof Error ? error.message : String(error);
  box.append(title, detail);
  document.body.replaceChildren(box);
}
