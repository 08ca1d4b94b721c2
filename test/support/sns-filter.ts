import type { MessageAttributeValue } from '@aws-sdk/client-sns';

/**
 * Whether SNS delivers a Publish with `attributes` (as shared/adapters/sns.ts sends them) to a subscription whose
 * attribute-based filter policy is `policy`, for policies of exact string values only, as the SNS Developer Guide
 * documents them ("Amazon SNS subscription filter policies"): every property the policy names must be an attribute,
 * and at least one of its values must match; a String attribute matches a value equal to it, a String.Array when any
 * of its values is equal to one ("Amazon SNS example filter policies", `customer_interests`).
 */
export function snsFilterDelivers(policy: Record<string, string[]>, attributes: Record<string, MessageAttributeValue>): boolean {
  return Object.entries(policy).every(([name, wanted]) => {
    const attribute = attributes[name];
    if (attribute?.StringValue === undefined) return false;
    const values: unknown[] = attribute.DataType === 'String.Array' ? (JSON.parse(attribute.StringValue) as unknown[]) : attribute.DataType === 'String' ? [attribute.StringValue] : [];
    return values.some((value) => typeof value === 'string' && wanted.includes(value));
  });
}
