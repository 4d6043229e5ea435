// Google Gemini through @google/genai: JSON response with a response schema (the SDK's Schema/Type form).
import { GoogleGenAI, Type, type Schema } from '@google/genai';
import type { JsonSchema } from '../../domain/playlist/index.js';
import { classifyProviderError } from './errors.js';
import { BOUND_SECRETS } from '../../secrets/binding.js';
import { ModelProvider, fetchWithoutRedirects, type StructuredAnswer, type StructuredCall } from './provider.js';

export interface GeminiOptions {
  apiKey: string;
  baseUrl?: string | null;
  attempts?: number;
  timeoutMs?: number;
}

const TYPES: Record<JsonSchema['type'], Type> = {
  object: Type.OBJECT,
  array: Type.ARRAY,
  string: Type.STRING,
  number: Type.NUMBER,
  integer: Type.INTEGER,
  boolean: Type.BOOLEAN,
};

export function geminiSchema(schema: JsonSchema): Schema {
  const out: Schema = { type: TYPES[schema.type] };
  if (schema.description) out.description = schema.description;
  if (schema.nullable) out.nullable = true;
  if (schema.items) out.items = geminiSchema(schema.items);
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, geminiSchema(v)]));
    out.required = schema.required;
    out.propertyOrdering = Object.keys(schema.properties);
  }
  return out;
}

export class GeminiProvider extends ModelProvider {
  readonly name = 'gemini' as const;
  private readonly client: GoogleGenAI;

  constructor(options: GeminiOptions) {
    super();
    // Explicit backend, key, API version and base URL: left to itself the SDK reads GOOGLE_GENAI_USE_VERTEXAI,
    // GOOGLE_API_KEY, GOOGLE_GENAI_API_VERSION and GOOGLE_GEMINI_BASE_URL from the environment. The
    // structured-output request (systemInstruction, responseSchema) is the v1beta one; the SDK's default is v1.
    this.client = new GoogleGenAI({
      vertexai: false,
      apiKey: options.apiKey,
      apiVersion: 'v1beta',
      httpOptions: {
        baseUrl: options.baseUrl ?? BOUND_SECRETS.GEMINI_API_KEY.defaultUrl,
        fetch: fetchWithoutRedirects,
        timeout: options.timeoutMs ?? 120_000,
        retryOptions: { attempts: options.attempts ?? 3, initialDelay: 0.5, maxDelay: 8 },
      },
    });
  }

  protected async call(call: StructuredCall): Promise<StructuredAnswer> {
    try {
      const response = await this.client.models.generateContent({
        model: call.model,
        contents: [{ role: 'user', parts: [{ text: call.prompt.user }] }],
        config: {
          systemInstruction: call.prompt.system,
          responseMimeType: 'application/json',
          responseSchema: geminiSchema(call.shape.schema),
          maxOutputTokens: call.maxOutputTokens * 4,
        },
      });
      return {
        value: response.text ?? '',
        usage: {
          inputTokens: response.usageMetadata?.promptTokenCount ?? 0,
          outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
        },
      };
    } catch (err) {
      throw classifyProviderError(this.name, call.role, call.model, err);
    }
  }
}
