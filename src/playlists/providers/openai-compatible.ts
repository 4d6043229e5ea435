// OpenAI-compatible servers (LM Studio, llama.cpp, vLLM, hosted compatibles, Ollama) through the openai
// SDK with a base URL. Structured output where the server offers it — json_schema, else JSON mode, else
// plain text — remembered per server after the first refusal; the reply always goes through the tolerant
// parser. Ollama's OpenAI endpoint cannot set the context window per request (its default of 2–4k tokens
// silently truncates a long track list), so for Ollama the same SDK client posts to its native /api/chat
// with options.num_ctx and the JSON schema as `format`.
import OpenAI from 'openai';
import { classifyProviderError } from './errors.js';
import { ModelProvider, NO_REDIRECTS, type StructuredAnswer, type StructuredCall } from './provider.js';
import { strictSchema } from './openai.js';

export interface CompatibleOptions {
  baseUrl: string;
  apiKey?: string | null;
  contextTokens: number;
  flavor: 'auto' | 'ollama' | 'generic';
  maxRetries?: number;
  timeoutMs?: number;
}

type JsonMode = 'schema' | 'object' | 'none';

interface OllamaChat {
  message?: { content?: string };
  prompt_eval_count?: number;
  eval_count?: number;
}

export function isOllama(options: Pick<CompatibleOptions, 'baseUrl' | 'flavor'>): boolean {
  if (options.flavor !== 'auto') return options.flavor === 'ollama';
  try {
    return new URL(options.baseUrl).port === '11434';
  } catch {
    return false;
  }
}

export class OpenAiCompatibleProvider extends ModelProvider {
  readonly name = 'openai-compatible' as const;
  private readonly client: OpenAI;
  private jsonMode: JsonMode = 'schema';
  private readonly ollamaChatUrl: string | null;

  constructor(private readonly options: CompatibleOptions) {
    super();
    this.client = new OpenAI({
      apiKey: options.apiKey ?? 'not-needed',
      adminAPIKey: null,
      organization: null,
      project: null,
      baseURL: options.baseUrl,
      fetchOptions: NO_REDIRECTS,
      maxRetries: options.maxRetries ?? 1,
      timeout: options.timeoutMs ?? 300_000,
    });
    this.ollamaChatUrl = isOllama(options) ? `${options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/api/chat` : null;
  }

  protected async call(call: StructuredCall): Promise<StructuredAnswer> {
    try {
      return this.ollamaChatUrl ? await this.ollama(call, this.ollamaChatUrl) : await this.chat(call);
    } catch (err) {
      throw classifyProviderError(this.name, call.role, call.model, err);
    }
  }

  private async ollama(call: StructuredCall, url: string): Promise<StructuredAnswer> {
    const body = await this.client.post<OllamaChat>(url, {
      body: {
        model: call.model,
        stream: false,
        messages: [
          { role: 'system', content: call.prompt.system },
          { role: 'user', content: call.prompt.user },
        ],
        format: call.shape.schema,
        options: { num_ctx: this.options.contextTokens, num_predict: call.maxOutputTokens },
      },
    });
    return { value: body.message?.content ?? '', usage: { inputTokens: body.prompt_eval_count ?? 0, outputTokens: body.eval_count ?? 0 } };
  }

  private async chat(call: StructuredCall): Promise<StructuredAnswer> {
    for (;;) {
      const mode = this.jsonMode;
      try {
        const completion = await this.client.chat.completions.create({
          model: call.model,
          messages: [
            { role: 'system', content: call.prompt.system },
            { role: 'user', content: call.prompt.user },
          ],
          max_tokens: call.maxOutputTokens,
          ...(mode === 'schema'
            ? {
                response_format: {
                  type: 'json_schema' as const,
                  json_schema: { name: call.shape.name, strict: true, schema: strictSchema(call.shape.schema) },
                },
              }
            : mode === 'object'
              ? { response_format: { type: 'json_object' as const } }
              : {}),
        });
        return {
          value: completion.choices[0]?.message?.content ?? '',
          usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
        };
      } catch (err) {
        const e = err as { status?: number; message?: string };
        const refusedFormat =
          (e.status === 400 || e.status === 422) && /response_format|json_schema|json_object|format/i.test(String(e.message));
        if (!refusedFormat || mode === 'none') throw err;
        this.jsonMode = mode === 'schema' ? 'object' : 'none';
      }
    }
  }
}
