import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** SPEC §6: what support staff filter on in the Temporal Web UI. Values are stored in clear text: no PII here. */
export const ClientIdKey = defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD);
export const MessageIdKey = defineSearchAttributeKey('MessageId', SearchAttributeType.KEYWORD);
export const ChannelsKey = defineSearchAttributeKey('Channels', SearchAttributeType.KEYWORD_LIST);
export const DeliveryStatusKey = defineSearchAttributeKey('DeliveryStatus', SearchAttributeType.KEYWORD);

/** Every key a workflow of ours writes: a namespace serves us only when all of them are registered. */
export const searchAttributeKeys = [ClientIdKey, MessageIdKey, ChannelsKey, DeliveryStatusKey] as const;

/** `KEYWORD_LIST` → `KeywordList`, the spelling of the Temporal CLI's `--type` and `--search-attribute`. */
const cliTypeName = (type: SearchAttributeType) =>
  type
    .split('_')
    .map((word) => word[0] + word.slice(1).toLowerCase())
    .join('');

/** The same keys in the `Name=Type` form of `temporal server start-dev --search-attribute`. */
export const searchAttributeDeclarations = searchAttributeKeys.map((key) => `${key.name}=${cliTypeName(key.type)}`);
