import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
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
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([key, value]) => [key, { DataType: 'String', StringValue: value.slice(0, 256) }]),
          ),
        }),
      );
      return { messageId: response.MessageId ?? 'unknown' };
    },
  };
}
