import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** SPEC §6: what support staff filter on in the Temporal Web UI. Values are stored in clear text: no PII here. */
export const ClientIdKey = defineSearchAttributeKey('ClientId', SearchAttributeType.KEYWORD);
export const MessageIdKey = defineSearchAttributeKey('MessageId', SearchAttributeType.KEYWORD);
export const ChannelsKey = defineSearchAttributeKey('Channels', SearchAttributeType.KEYWORD_LIST);
export const DeliveryStatusKey = defineSearchAttributeKey('DeliveryStatus', SearchAttributeType.KEYWORD);

/** The same keys in the `Name=Type` form that `temporal server start-dev --search-attribute` and the operator CLI take. */
export const searchAttributeDeclarations = [
  'ClientId=Keyword',
  'MessageId=Keyword',
  'Channels=KeywordList',
  'DeliveryStatus=Keyword',
] as const;
