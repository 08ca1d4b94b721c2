import { ANALYSIS_TOOL_NAME } from '../../../shared/analysis/index.js';

/**
 * A scripted `fetch` for the OpenAI-compatible analyzer: each call takes the next reply (the last one repeats)
 * and records the request, so tests assert what was sent. No test reaches the network.
 */
export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Record<string, any>;
}

export type Reply = Response | Error | ((request: SentRequest, signal: AbortSignal | undefined) => Response | Promise<Response>);

export function fetchMock(...replies: Reply[]) {
  const requests: SentRequest[] = [];
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    const request: SentRequest = {
      url: String(url),
      method: init?.method ?? 'GET',
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      body: JSON.parse(String(init?.body ?? '{}')) as Record<string, any>,
    };
    requests.push(request);
    const reply = replies[Math.min(requests.length - 1, replies.length - 1)];
    if (reply === undefined) throw new Error('fetchMock: no reply scripted');
    if (reply instanceof Error) throw reply;
    if (typeof reply === 'function') return reply(request, init?.signal ?? undefined);
    return reply.clone();
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const usage = { prompt_tokens: 1800, completion_tokens: 240, total_tokens: 2040 };

/** A chat completion whose answer is a call of the analysis function (arguments as a JSON string, as OpenAI sends). */
export function toolCallReply(args: Record<string, unknown> | string, options: { id?: string; finish?: string } = {}): Response {
  return json({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'llama3.1',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: options.id ?? 'call_1',
              type: 'function',
              function: { name: ANALYSIS_TOOL_NAME, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
            },
          ],
        },
        finish_reason: options.finish ?? 'tool_calls',
      },
    ],
    usage,
  });
}

/** A chat completion that answers with plain content. */
export function contentReply(content: string, finish = 'stop', withUsage = true): Response {
  return json({
    id: 'chatcmpl-2',
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: finish }],
    ...(withUsage ? { usage } : {}),
  });
}

export function errorReply(status: number, message: string): Response {
  return json({ error: { message, type: 'invalid_request_error' } }, status);
}
