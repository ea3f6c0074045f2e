/** The days window rules name, in ISO order: index = ISO weekday (Monday 1) − 1. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export type Weekday = (typeof weekdays)[number];
