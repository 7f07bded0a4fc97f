// The model path: LangChain ChatOpenAI against any OpenAI-compatible endpoint, streamed, with a deadline
// for the first token, for stalls between tokens and for the whole answer.
import { HumanMessage, SystemMessage, type BaseMessage } from '@langchain/core/messages';
import { ChatOpenAI } from '@langchain/openai';
import { AppError } from '../errors.ts';
import type { Turn } from '../types.ts';
import { fillPrompt, formatSources, loadPrompt } from './prompts.ts';

export interface ChatSettings {
  model: string;
  baseURL?: string;
  apiKey?: string;
  /** The whole answer must arrive within this. */
  timeoutMs: number;
  /** The first token, and every next one, must arrive within this. */
  firstTokenTimeoutMs: number;
}

/** What the pipeline needs from a chat model: a token stream and a one-shot completion. */
export interface ChatModel {
  stream(messages: BaseMessage[], signal: AbortSignal): AsyncIterable<string>;
  complete(messages: BaseMessage[], signal: AbortSignal): Promise<string>;
}

export function createChatOpenAI(settings: ChatSettings): ChatModel {
  const model = new ChatOpenAI({
    model: settings.model,
    apiKey: settings.apiKey ?? 'not-needed',
    temperature: 0,
    maxRetries: 0,
    timeout: settings.timeoutMs,
    streamUsage: false,
    ...(settings.baseURL ? { configuration: { baseURL: settings.baseURL } } : {}),
  });
  const textOf = (content: unknown): string =>
    typeof content === 'string' ? content : Array.isArray(content) ? content.map((part) => (typeof part === 'object' && part && 'text' in part ? String(part.text) : '')).join('') : '';
  return {
    async *stream(messages, signal) {
      for await (const chunk of await model.stream(messages, { signal })) {
        const text = textOf(chunk.content);
        if (text) yield text;
      }
    },
    async complete(messages, signal) {
      return textOf((await model.invoke(messages, { signal })).content);
    },
  };
}

/** Links an outer signal (the user cancelled) with our own deadlines. */
function deadlineController(outer: AbortSignal | undefined, totalMs: number): { controller: AbortController; reason: () => string | undefined; dispose: () => void; arm: (ms: number, why: string) => void } {
  const controller = new AbortController();
  let why: string | undefined;
  const abort = (reason: string): void => {
    if (controller.signal.aborted) return;
    why = reason;
    controller.abort(new AppError('model_error', reason));
  };
  const onOuter = (): void => abort('cancelled');
  outer?.addEventListener('abort', onOuter, { once: true });
  const total = setTimeout(() => abort(`the model did not finish within ${totalMs} ms`), totalMs);
  let stall: NodeJS.Timeout | undefined;
  return {
    controller,
    reason: () => why,
    arm: (ms, reason) => {
      if (stall) clearTimeout(stall);
      stall = setTimeout(() => abort(reason), ms);
    },
    dispose: () => {
      clearTimeout(total);
      if (stall) clearTimeout(stall);
      outer?.removeEventListener('abort', onOuter);
    },
  };
}

export class LlmAnswerer {
  constructor(
    readonly settings: ChatSettings,
    private readonly model: ChatModel = createChatOpenAI(settings),
  ) {}

  /** Streams the answer's text; throws an AppError('model_error') on any failure or deadline. */
  async *streamAnswer(input: { question: string; english: boolean; asked?: string; sources: Parameters<typeof formatSources>[0]; signal?: AbortSignal }): AsyncIterable<string> {
    const system = fillPrompt(loadPrompt('answer'), { language: input.english ? 'English' : 'Chinese', asked: input.asked ?? input.question, sources: formatSources(input.sources) });
    const deadline = deadlineController(input.signal, this.settings.timeoutMs);
    deadline.arm(this.settings.firstTokenTimeoutMs, `the model sent no first token within ${this.settings.firstTokenTimeoutMs} ms`);
    try {
      for await (const text of this.model.stream([new SystemMessage(system), new HumanMessage(input.question)], deadline.controller.signal)) {
        deadline.arm(this.settings.firstTokenTimeoutMs, `the model stalled for ${this.settings.firstTokenTimeoutMs} ms`);
        yield text;
      }
      if (deadline.reason()) throw new AppError('model_error', deadline.reason()!);
    } catch (error) {
      if (deadline.reason() === 'cancelled') throw new AppError('cancelled', 'The answer was cancelled.', { cause: error });
      const reason = deadline.reason() ?? describeModelError(error);
      throw new AppError('model_error', reason, { cause: error });
    } finally {
      deadline.dispose();
    }
  }

  /** Rewrites a follow-up into a standalone question with the condensing prompt. */
  async condense(question: string, history: readonly Turn[], signal?: AbortSignal): Promise<string> {
    const prompt = fillPrompt(loadPrompt('condense'), {
      history: history.map((turn) => `${turn.role === 'user' ? 'User' : 'Assistant'}: ${turn.content}`).join('\n'),
      question,
    });
    const deadline = deadlineController(signal, this.settings.firstTokenTimeoutMs);
    try {
      const text = (await this.model.complete([new HumanMessage(prompt)], deadline.controller.signal)).trim();
      return text.split('\n')[0]!.trim() || question;
    } catch (error) {
      throw new AppError('model_error', deadline.reason() ?? describeModelError(error), { cause: error });
    } finally {
      deadline.dispose();
    }
  }

  /** A one-shot completion (used for summaries). */
  async complete(system: string, user: string, signal?: AbortSignal): Promise<string> {
    const deadline = deadlineController(signal, this.settings.timeoutMs);
    try {
      return await this.model.complete([new SystemMessage(system), new HumanMessage(user)], deadline.controller.signal);
    } catch (error) {
      throw new AppError('model_error', deadline.reason() ?? describeModelError(error), { cause: error });
    } finally {
      deadline.dispose();
    }
  }
}

export function describeModelError(error: unknown): string {
  const status = (error as { status?: number }).status;
  if (status === 429) return 'the model endpoint is rate-limiting (HTTP 429)';
  if (typeof status === 'number') return `the model endpoint answered HTTP ${status}`;
  if (error instanceof SyntaxError) return 'the model endpoint sent a malformed response';
  const message = (error as Error)?.message ?? String(error);
  if (/terminated|socket|ECONNRESET|other side closed/i.test(message)) return 'the model stream was cut off';
  if (/timed out|timeout/i.test(message)) return 'the model endpoint timed out';
  if (/ECONNREFUSED|Connection error/i.test(message)) return 'the model endpoint cannot be reached';
  return `the model failed (${message.slice(0, 120)})`;
}

