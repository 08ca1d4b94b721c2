import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { filterAttributes } from '../notify/message-attributes.js';
import type { EscalationPublisher } from '../ports.js';

/**
 * Escalations through SNS, with message attributes subscribers can filter on. With a chat rendering the message
 * is published per protocol (`MessageStructure: json`): e-mail subscribers get the plain text, every other
 * subscriber — AWS Chatbot's HTTPS endpoint among them — the custom-notification JSON it understands.
 */
export function createSnsPublisher(client: SNSClient, topicArn: string): EscalationPublisher {
  return {
    async publish(message) {
      const body = message.chat
        ? { MessageStructure: 'json', Message: JSON.stringify({ default: JSON.stringify(message.chat), email: message.message }) }
        : { Message: message.message };
      const response = await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: message.subject,
          ...body,
          MessageAttributes: snsMessageAttributes(message.attributes),
        }),
      );
      return { messageId: response.MessageId ?? 'unknown' };
    },
  };
}

/**
 * An escalation's attributes as SNS's Publish takes them. Made safe here, whoever built them (the outbox records them
 * the same way): one value SNS refuses fails the whole Publish, and the page with it. A list goes as a String.Array,
 * its values as a JSON array, which a filter policy matches when any of its values matches.
 */
export function snsMessageAttributes(attributes: Record<string, string | string[]>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(filterAttributes(attributes)).map(([key, value]) => [
      key,
      Array.isArray(value) ? { DataType: 'String.Array', StringValue: JSON.stringify(value) } : { DataType: 'String', StringValue: value },
    ]),
  );
}
