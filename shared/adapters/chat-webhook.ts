import type { ChatWebhookFormat } from '../config.js';
import type { ChatNotification, EscalationMessage, EscalationPublisher } from '../ports.js';

export class ChatWebhookError extends Error {
  override name = 'ChatWebhookError';
}

function chatOf(message: EscalationMessage): ChatNotification {
  return (
    message.chat ?? {
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown', title: message.subject, description: message.message.split('\n').slice(0, 12).join('\n') },
    }
  );
}

/** The webhook body for one escalation in the chat system's own format. */
export function webhookPayload(format: ChatWebhookFormat, message: EscalationMessage): unknown {
  const chat = chatOf(message);
  const steps = chat.content.nextSteps ?? [];
  if (format === 'teams') {
    // Teams renders links as [label](url); the Slack-style <url|label> of the chat rendering is rewritten.
    const teamsLinks = steps.map((step) => step.replace(/^<(https:\/\/[^|>]+)\|([^>]+)>$/, '[$2]($1)'));
    return {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: chat.content.title, weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'TextBlock', text: chat.content.description, wrap: true },
              ...teamsLinks.map((text) => ({ type: 'TextBlock', text, wrap: true, spacing: 'Small' })),
            ],
          },
        },
      ],
    };
  }
  const links = format === 'mattermost' ? steps.map((step) => step.replace(/^<(https:\/\/[^|>]+)\|([^>]+)>$/, '[$2]($1)')) : steps;
  return { text: [`*${chat.content.title}*`, chat.content.description, ...links.map((step) => `• ${step}`)].join('\n') };
}

/**
 * Posts escalations to a Slack, Mattermost or Teams incoming webhook: for teams outside AWS Chatbot, and locally.
 * `fetch` is injected so tests and the local runtime can point it anywhere.
 */
export function createChatWebhook(options: {
  /** The URL, or how to read it when it is kept in a secret (read per message, from the reader's cache). */
  url: string | (() => Promise<string>);
  format: ChatWebhookFormat;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): EscalationPublisher {
  const send = options.fetch ?? fetch;
  const { url } = options;
  return {
    async publish(message) {
      const response = await send(typeof url === 'string' ? url : await url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(webhookPayload(options.format, message)),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        // The URL was checked (https, chatWebhookUrlSchema); where a redirect points was not. Incoming webhooks answer
        // where they are, and a 307 followed would send the escalation on, over http or into the network.
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (!response.ok) throw new ChatWebhookError(`chat webhook answered ${response.status}`);
      return { messageId: `webhook-${response.status}` };
    },
  };
}

/**
 * The escalation publisher with chat beside it: the primary (SNS, or the local outbox) decides success; a chat
 * webhook that fails is logged and never fails the step, or the retry would send the e-mail a second time.
 */
export function withChatWebhook(primary: EscalationPublisher, chat: EscalationPublisher, onError: (error: unknown) => void): EscalationPublisher {
  return {
    async publish(message) {
      const published = await primary.publish(message);
      await chat.publish(message).catch(onError);
      return published;
    },
  };
}
