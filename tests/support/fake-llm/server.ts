// A local stand-in for the model APIs, speaking each wire format the real SDKs use: OpenAI chat
// completions (and OpenAI-compatible servers), Anthropic messages, Gemini generateContent (routed by
// the `:generateContent` suffix) and Ollama's native /api/chat. It records every request and answers
// from a queue of behaviours (then `fallback`), drawing track ids from the prompt it received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { answer, viewPrompt, type Answer, type Behaviour } from './behaviours.js';

export type Wire = 'openai' | 'anthropic' | 'gemini' | 'ollama';

export interface RecordedRequest {
  wire: Wire;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: Record<string, any>;
  role: string;
  behaviour: Behaviour;
}

export interface FakeLlm {
  url: string;
  requests: RecordedRequest[];
  /** Behaviours for the next calls, in order. */
  queue(...behaviours: Behaviour[]): void;
  fallback: Behaviour;
  close(): Promise<void>;
}

function promptOf(wire: Wire, body: any): { system: string; user: string; model: string } {
  if (wire === 'anthropic') {
    const user = body.messages
      ?.map((m: any) => (typeof m.content === 'string' ? m.content : m.content.map((c: any) => c.text).join('')))
      .join('\n');
    return { system: typeof body.system === 'string' ? body.system : '', user, model: body.model };
  }
  if (wire === 'gemini') {
    return {
      system: body.systemInstruction?.parts?.map((p: any) => p.text).join('') ?? '',
      user: body.contents?.flatMap((c: any) => c.parts.map((p: any) => p.text)).join('\n') ?? '',
      model: '',
    };
  }
  const messages = body.messages ?? [];
  return {
    system: messages
      .filter((m: any) => m.role === 'system')
      .map((m: any) => m.content)
      .join('\n'),
    user: messages
      .filter((m: any) => m.role === 'user')
      .map((m: any) => m.content)
      .join('\n'),
    model: body.model,
  };
}

function reply(wire: Wire, model: string, a: Answer, inputChars: number): { status: number; body: unknown } {
  if ('status' in a) {
    if (wire === 'gemini')
      return {
        status: a.status,
        body: { error: { code: a.status, message: (a.body as any).error.message, status: a.status === 404 ? 'NOT_FOUND' : 'INTERNAL' } },
      };
    if (wire === 'anthropic')
      return {
        status: a.status,
        body: {
          type: 'error',
          error: { type: a.status === 404 ? 'not_found_error' : 'api_error', message: (a.body as any).error.message },
        },
      };
    return a;
  }
  const text = 'json' in a ? JSON.stringify(a.json) : a.text;
  const usage = { input: Math.ceil(inputChars / 3.5), output: Math.ceil(text.length / 4) };
  switch (wire) {
    case 'openai':
      return {
        status: 200,
        body: {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          created: 1,
          model,
          choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
          usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
        },
      };
    case 'anthropic': {
      const content = 'json' in a ? [{ type: 'tool_use', id: 'toolu_fake', name: 'answer', input: a.json }] : [{ type: 'text', text }];
      return {
        status: 200,
        body: {
          id: 'msg_fake',
          type: 'message',
          role: 'assistant',
          model,
          content,
          stop_reason: 'json' in a ? 'tool_use' : 'end_turn',
          stop_sequence: null,
          usage: { input_tokens: usage.input, output_tokens: usage.output },
        },
      };
    }
    case 'gemini':
      return {
        status: 200,
        body: {
          candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
          usageMetadata: { promptTokenCount: usage.input, candidatesTokenCount: usage.output },
        },
      };
    case 'ollama':
      return {
        status: 200,
        body: {
          model,
          message: { role: 'assistant', content: text },
          done: true,
          prompt_eval_count: usage.input,
          eval_count: usage.output,
        },
      };
  }
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const pending: Behaviour[] = [];
  const fake = { fallback: 'good' as Behaviour };
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0];
    const wire: Wire | null = path.endsWith('/chat/completions')
      ? 'openai'
      : path.endsWith('/v1/messages')
        ? 'anthropic'
        : path.endsWith(':generateContent')
          ? 'gemini'
          : path === '/api/chat'
            ? 'ollama'
            : null;
    if (req.method !== 'POST' || wire === null) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${path}` } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    const prompt = promptOf(wire, body);
    const model = wire === 'gemini' ? decodeURIComponent(/models\/([^:]+):/.exec(path)?.[1] ?? '') : prompt.model;
    const view = viewPrompt(prompt.system, prompt.user);
    const behaviour = pending.shift() ?? fake.fallback;
    requests.push({ wire, path, headers: req.headers, body, role: view.role, behaviour });
    const out = reply(wire, model, answer(view, behaviour, model), prompt.system.length + prompt.user.length);
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue: (...b: Behaviour[]) => void pending.push(...b),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
