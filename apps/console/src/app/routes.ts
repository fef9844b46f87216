import type { Routes } from '@angular/router';
import { authGuard, WardenCallbackComponent } from '@warden/angular';
import { ApplicationPage } from './applications/application-page';
import { ApplicationsPage } from './applications/applications-page';
import { CreateApplicationPage } from './applications/create-application-page';
import { NotFound } from './not-found';

/** Every page needs a signed-in user; the management API decides whether they are an administrator. */
export const routes: Routes = [
  { path: 'callback', component: WardenCallbackComponent, title: 'Signing in · Warden console' },
  {
    path: '',
    canActivateChild: [authGuard],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'applications' },
      { path: 'applications', component: ApplicationsPage, title: 'Applications · Warden console' },
      {
        path: 'applications/new',
        component: CreateApplicationPage,
        title: 'Create application · Warden console',
      },
      { path: 'applications/:id', component: ApplicationPage, title: 'Application · Warden console' },
      { path: '**', component: NotFound, title: 'Not found · Warden console' },
    ],
  },
];
