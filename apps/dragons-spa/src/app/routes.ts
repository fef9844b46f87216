import type { Routes } from '@angular/router';
import { authGuard, WardenCallbackComponent } from '@warden/angular';
import { Home } from './home/home';
import { NotFound } from './not-found';

export const routes: Routes = [
  { path: '', component: Home, title: 'Dragons' },
  { path: 'callback', component: WardenCallbackComponent, title: 'Signing in · Dragons' },
  {
    path: 'profile',
    canActivate: [authGuard],
    loadComponent: () => import('./profile/profile').then((module) => module.Profile),
    title: 'Your profile · Dragons',
  },
  { path: '**', component: NotFound, title: 'Not found · Dragons' },
];
