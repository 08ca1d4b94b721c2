import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { EscalationPublisher } from '../ports.js';

/** Escalations through SNS, with message attributes subscribers can filter on. */
export function createSnsPublisher(client: SNSClient, topicArn: string): EscalationPublisher {
  return {
    async publish(message) {
      const response = await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Subject: message.subject,
          Message: message.message,
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([key, value]) => [key, { DataType: 'String', StringValue: value.slice(0, 256) }]),
          ),
        }),
      );
      return { messageId: response.MessageId ?? 'unknown' };
    },
  };
}
