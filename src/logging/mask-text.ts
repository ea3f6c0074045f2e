import { maskEmail, maskPhone, maskToken } from './logger';

const emails = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
// E.164 as providers quote it ("The 'To' number +15551234567 is not a valid phone number."). Digits without the
// plus are left alone: error codes, provider ids and timestamps look the same.
const phones = /\+[1-9]\d{6,14}(?!\d)/g;
// An FCM registration token: an instance id, a colon, a long credential ("fGw…:APA91b…").
const deviceTokens = /[A-Za-z0-9_-]{20,}:[A-Za-z0-9_-]{20,}/g;

/**
 * Masks the recipient addresses a free text quotes (a provider's error message), as the log maskers do for fields.
 * Tokens first: a token's characters could otherwise be read as part of an address.
 */
export const maskAddressesIn = (text: string): string =>
  text.replace(deviceTokens, maskToken).replace(emails, maskEmail).replace(phones, maskPhone);
