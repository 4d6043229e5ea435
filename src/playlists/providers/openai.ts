// OpenAI through the official SDK: chat completions with a strict json_schema response format.
import OpenAI from 'openai';
import { classifyProviderError } from './errors.js';
import { BOUND_SECRETS } from '../../secrets/binding.js';
import { ModelProvider, sdkClientOptions, type HostedProviderOptions, type StructuredAnswer, type StructuredCall } from './provider.js';

export type OpenAiOptions = HostedProviderOptions;

export class OpenAiProvider extends ModelProvider {
  readonly name = 'openai' as const;
  private readonly client: OpenAI;

  constructor(options: OpenAiOptions) {
    super();
    // Only the key given here: nothing the SDK would otherwise take from the environment (admin key, organisation).
    this.client = new OpenAI({
      ...sdkClientOptions(options, BOUND_SECRETS.OPENAI_API_KEY.defaultUrl),
      adminAPIKey: null,
      organization: null,
      project: null,
    });
  }

  protected async call(call: StructuredCall): Promise<StructuredAnswer> {
    try {
      const completion = await this.client.chat.completions.create({
        model: call.model,
        messages: [
          { role: 'system', content: call.prompt.system },
          { role: 'user', content: call.prompt.user },
        ],
        response_format: {
          type: 'json_schema',
          json_schema: { name: call.shape.name, strict: true, schema: strictSchema(call.shape.schema) },
        },
        // Reasoning models spend output tokens on thinking: leave room beyond the answer itself.
        max_completion_tokens: call.maxOutputTokens * 4,
      });
      return {
        value: completion.choices[0]?.message?.content ?? '',
        usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
      };
    } catch (err) {
      throw classifyProviderError(this.name, call.role, call.model, err);
    }
  }
}

/** Strict mode has no `nullable`: a nullable field becomes a type union with null. */
export function strictSchema(schema: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema), (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value) && (value as { nullable?: boolean }).nullable) {
      const { nullable: _nullable, type, ...rest } = value as { nullable?: boolean; type: string };
      return { ...rest, type: [type, 'null'] };
    }
    return value;
  }) as Record<string, unknown>;
}
