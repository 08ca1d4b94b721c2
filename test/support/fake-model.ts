/**
 * An OpenAI-compatible chat completions server on 127.0.0.1 for integration tests through the local runtime
 * (`LLM_BASE_URL`). It answers every request with a forced `record_analysis` tool call whose arguments the test
 * chooses, so a test can play an obedient model that does whatever the log tells it.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ModelAnswer {
  rootCause: string;
  fix: string[];
  confidence: number;
  proposedAction: string;
  rationale?: string;
  evidence?: string[];
  patch?: string;
}

export class FakeModel {
  /** The prompts received (the user message text), in order. */
  readonly prompts: string[] = [];
  /** The `model` of each request, in the same order as `prompts`. */
  readonly models: string[] = [];
  /** The system prompt of each request, in the same order as `prompts`. */
  readonly systems: string[] = [];
  /** What the model answers, given the prompt it was sent. */
  answer: (prompt: string) => ModelAnswer = () => ({ rootCause: 'unknown', fix: ['look at the log'], confidence: 0.3, proposedAction: 'escalate' });
  /** Requests that got a fault instead of an answer. */
  faultsServed = 0;
  private fault: {
    kind: 'error' | 'hang';
    status: number;
    times: number;
    per: ((prompt: string) => string) | null;
    message: ((authorization: string) => string) | null;
    served: Map<string, number>;
  } | null = null;

  /**
   * The next `times` requests get `status` (kind 'error') or no answer at all ('hang'). With `per`, the requests
   * whose prompts `per` maps to one key get `times` faults each (one incident's retries, not a count every
   * incident draws from). With `message`, the error's message is built from the request's Authorization header, as
   * gateways that quote the key they refused do.
   */
  fail(fault: { kind: 'error' | 'hang'; status?: number; times?: number; per?: (prompt: string) => string; message?: (authorization: string) => string }): void {
    this.fault = { kind: fault.kind, status: fault.status ?? 500, times: fault.times ?? 1, per: fault.per ?? null, message: fault.message ?? null, served: new Map() };
  }

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<FakeModel> {
    const holder: { fake?: FakeModel } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const fake = holder.fake;
        if (!fake || req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
          return;
        }
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { model?: unknown; messages?: Array<{ role: string; content?: unknown }> };
        const prompt = (request.messages ?? [])
          .filter((m) => m.role === 'user')
          .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)))
          .join('\n');
        const fault = fake.fault;
        const key = fault?.per ? fault.per(prompt) : '';
        if (fault && (fault.served.get(key) ?? 0) < fault.times) {
          fault.served.set(key, (fault.served.get(key) ?? 0) + 1);
          fake.faultsServed += 1;
          if (fault.kind === 'hang') return;
          const message = fault.message ? fault.message(String(req.headers.authorization ?? '')) : 'upstream failure';
          res.writeHead(fault.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'server_error' } }));
          return;
        }
        fake.prompts.push(prompt);
        fake.models.push(String(request.model));
        fake.systems.push((request.messages ?? []).filter((m) => m.role === 'system').map((m) => String(m.content)).join('\n'));
        const answer = fake.answer(prompt);
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${fake.prompts.length}`,
            object: 'chat.completion',
            choices: [
              {
                index: 0,
                finish_reason: 'tool_calls',
                message: {
                  role: 'assistant',
                  content: null,
                  tool_calls: [{ id: `call-${fake.prompts.length}`, type: 'function', function: { name: 'record_analysis', arguments: JSON.stringify(answer) } }],
                },
              },
            ],
            usage: { prompt_tokens: 1000, completion_tokens: 100 },
          }),
        );
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const fake = new FakeModel(server, `http://127.0.0.1:${port}/v1`);
    holder.fake = fake;
    return fake;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
    await once(this.server, 'close');
  }
}
