import type { Connection } from '@temporalio/client';
import type { SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { searchAttributeKeys } from '../shared/search-attributes';

type IndexedValueType = temporal.api.enums.v1.IndexedValueType;
const { IndexedValueType } = temporal.api.enums.v1;

/** The operator API takes the proto enum, named like the SDK's type with a prefix (`INDEXED_VALUE_TYPE_KEYWORD`). */
const indexedType = (type: SearchAttributeType): IndexedValueType => IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
const typeName = (value: IndexedValueType) => IndexedValueType[value]?.replace('INDEXED_VALUE_TYPE_', '') ?? value;

export class RegistrationError extends Error {}

/**
 * Registers every search attribute of SPEC §6 with its type in one namespace of a self-hosted cluster (Temporal
 * Cloud refuses the operator API for these; it uses tcld). Idempotent: what is there with the right type is left
 * alone. An attribute registered with another type cannot be changed, so that fails the registration.
 */
export async function registerSearchAttributes(
  connection: Connection,
  namespace: string,
): Promise<{ registered: string[]; existing: string[] }> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const existing: string[] = [];
  const missing: Record<string, IndexedValueType> = {};
  for (const key of searchAttributeKeys) {
    const wanted = indexedType(key.type);
    const present = customAttributes?.[key.name];
    if (present === undefined || present === null) missing[key.name] = wanted;
    else if (present === wanted) existing.push(key.name);
    else
      throw new RegistrationError(
        `${key.name} is registered in namespace ${namespace} as ${typeName(present)}, not ${key.type}; ` +
          'a search attribute cannot change its type: remove it or use another namespace',
      );
  }
  const registered = Object.keys(missing);
  if (registered.length > 0) {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
  }
  return { registered, existing };
}
