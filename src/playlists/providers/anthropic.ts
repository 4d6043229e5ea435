// Anthropic through the official SDK: one tool whose input schema is the reply shape, and a forced call
// of that tool, so the answer arrives as the tool's (already parsed) input.
import Anthropic from '@anthropic-ai/sdk';
import { classifyProviderError } from './errors.js';
import { BOUND_SECRETS } from '../../secrets/binding.js';
import { ModelProvider, sdkClientOptions, type HostedProviderOptions, type StructuredAnswer, type StructuredCall } from './provider.js';

export type AnthropicOptions = HostedProviderOptions;

export class AnthropicProvider extends ModelProvider {
  readonly name = 'anthropic' as const;
  private readonly client: Anthropic;

  constructor(options: AnthropicOptions) {
    super();
    this.client = new Anthropic(sdkClientOptions(options, BOUND_SECRETS.ANTHROPIC_API_KEY.defaultUrl));
  }

  protected async call(call: StructuredCall): Promise<StructuredAnswer> {
    try {
      const message = await this.client.messages.create({
        model: call.model,
        max_tokens: call.maxOutputTokens,
        system: call.prompt.system,
        messages: [{ role: 'user', content: call.prompt.user }],
        tools: [
          { name: call.shape.name, description: 'Return the answer.', input_schema: call.shape.schema as Anthropic.Tool.InputSchema },
        ],
        tool_choice: { type: 'tool', name: call.shape.name },
      });
      const tool = message.content.find((block) => block.type === 'tool_use');
      const text = message.content.find((block) => block.type === 'text');
      return {
        value: tool && tool.type === 'tool_use' ? tool.input : text && text.type === 'text' ? text.text : '',
        usage: { inputTokens: message.usage?.input_tokens ?? 0, outputTokens: message.usage?.output_tokens ?? 0 },
      };
    } catch (err) {
      throw classifyProviderError(this.name, call.role, call.model, err);
    }
  }
}
