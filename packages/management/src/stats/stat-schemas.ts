import { z } from '@hono/zod-openapi';

const day = z
  .string()
  .regex(/^\d{8}$/, { error: 'a day is YYYYMMDD' })
  .optional()
  .openapi({ example: '20240501' });

export const DailyStatsQuery = z.strictObject({
  from: day.openapi({ description: 'The first day (UTC), YYYYMMDD. Default: 29 days before to.' }),
  to: day.openapi({
    description: 'The last day (UTC), YYYYMMDD, at most 366 days after from. Default: today.',
  }),
});

export const DailyStats = z
  .object({
    date: z.string().openapi({ format: 'date-time', description: 'The day: its first instant, UTC.' }),
    logins: z.number().int().openapi({ description: 'Successful sign-ins (s).' }),
    signups: z.number().int().openapi({ description: 'Sign-ups (ss).' }),
    leaked_passwords: z
      .number()
      .int()
      .openapi({ description: 'Always 0: Warden does not check passwords against breach lists.' }),
    updated_at: z.string().openapi({ format: 'date-time', description: 'As of when the day was counted.' }),
    created_at: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('DailyStats');

const instant = z
  .string()
  .max(40)
  .optional()
  .openapi({ description: 'An ISO 8601 date-time (2024-05-01T12:00:00Z; no zone means UTC).' });

export const HourlyStatsQuery = z.strictObject({
  from: instant.openapi({
    description: 'The first hour: from the start of the hour this falls in. Default: to − 24 h.',
  }),
  to: instant.openapi({
    description:
      'The end (exclusive), at most 744 hours (31 days) after from. Default: the end of the current hour.',
  }),
});

export const HourlyStats = z
  .object({
    hour: z.string().openapi({ format: 'date-time', description: 'The hour: its first instant, UTC.' }),
    logins: z.number().int().openapi({ description: 'Successful sign-ins (s).' }),
    failures: z.number().int().openapi({ description: 'Failed sign-ins (f, fp, fu).' }),
    signups: z.number().int().openapi({ description: 'Sign-ups (ss).' }),
  })
  .openapi('HourlyStats');
