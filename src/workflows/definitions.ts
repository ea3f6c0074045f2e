import { defineQuery } from '@temporalio/workflow';
import type { MessageStatus } from '../shared/message';

/** SPEC §6: the live state of every channel of the message. */
export const statusQuery = defineQuery<MessageStatus>('status');
