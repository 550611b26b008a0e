/**
 * Model backends that call real LLM APIs through LangChain4j's {@code ChatModel}: {@link
 * dev.tierflow.worker.backend.llm.OpenAiCompatibleBackend} (OpenAI chat completions and compatible servers such as
 * vLLM, Ollama, llama.cpp server, OpenRouter) and {@link dev.tierflow.worker.backend.llm.AnthropicBackend}
 * (Anthropic Messages).
 *
 * <p>Built from {@link dev.tierflow.worker.backend.llm.LlmBackendSettings} by {@link
 * dev.tierflow.worker.backend.llm.LlmBackends#create}. LangChain4j's own retries are off: {@link
 * dev.tierflow.worker.backend.llm.ResilientCall} retries 429, 5xx, timeouts and unreachable servers with exponential
 * backoff, honouring {@code retry-after}; {@link dev.tierflow.worker.backend.llm.FallbackBackend} tries a fallback
 * model of the same tier when the primary still fails. See {@code worker/BACKENDS.md}.
 */
package dev.tierflow.worker.backend.llm;
