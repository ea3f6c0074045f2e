import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Failure messages and stack traces are not payloads: by default they sit in history in clear text, and a
 * provider's message often quotes the recipient ("The 'To' number +1… is not valid"). Encoded, they travel
 * as a payload and the codec encrypts them like any other.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
