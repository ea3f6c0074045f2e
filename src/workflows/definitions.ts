import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { MessageStatus, Receipt } from '../shared/message';

/** SPEC §6: the live state of every channel of the message. */
export const statusQuery = defineQuery<MessageStatus>('status');

/** Cancels every channel not yet sent and answers with the resulting status. */
export const cancelUpdate = defineUpdate<MessageStatus>('cancel');

/** The client's profile changed: waiting channels re-plan against the new one. */
export const profileChangedSignal = defineSignal('profileChanged');

/** A verified delivery receipt (Twilio status callback, Postmark delivery webhook). */
export const receiptSignal = defineSignal<[Receipt]>('receipt');
