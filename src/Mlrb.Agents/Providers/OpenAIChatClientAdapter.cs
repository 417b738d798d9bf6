using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI;
using MEAI = Microsoft.Extensions.AI;
using OAI = OpenAI.Chat;

namespace Mlrb.Agents.Providers;

/// <summary>
/// <see cref="IChatClient"/> over the OpenAI SDK's chat-completions client: messages, tools and tool calls,
/// structured output and usage. Works against any OpenAI-compatible endpoint.
/// </summary>
/// <remarks>Thread-safe: per-model SDK clients are cached and the SDK clients are thread-safe.</remarks>
internal sealed class OpenAIChatClientAdapter : IChatClient
{
    private static readonly JsonSerializerOptions WireJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly OpenAIClient _client;
    private readonly string _defaultModel;
    private readonly ChatClientMetadata _metadata;
    private readonly ConcurrentDictionary<string, OAI.ChatClient> _chatClients = new(StringComparer.Ordinal);

    /// <summary>Creates the adapter.</summary>
    /// <param name="client">The SDK client (endpoint, key and transport already set).</param>
    /// <param name="defaultModel">Model used when <see cref="ChatOptions.ModelId"/> is not set.</param>
    /// <param name="endpoint">The endpoint, for metadata.</param>
    public OpenAIChatClientAdapter(OpenAIClient client, string defaultModel, Uri? endpoint)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(defaultModel);
        _client = client;
        _defaultModel = defaultModel;
        _metadata = new ChatClientMetadata("openai", endpoint ?? new Uri("https://api.openai.com/v1"), defaultModel);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<MEAI.ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var model = options?.ModelId ?? _defaultModel;
        var chat = _chatClients.GetOrAdd(model, m => _client.GetChatClient(m));
        var result = await chat.CompleteChatAsync(ToOpenAIMessages(messages, options), ToOpenAIOptions(options), cancellationToken).ConfigureAwait(false);
        return FromCompletion(result.Value, model);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<MEAI.ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return _metadata;
        }

        if (serviceType == typeof(OpenAIClient))
        {
            return _client;
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <summary>Maps MEAI messages to the SDK's messages.</summary>
    internal static List<OAI.ChatMessage> ToOpenAIMessages(IEnumerable<MEAI.ChatMessage> messages, ChatOptions? options)
    {
        var result = new List<OAI.ChatMessage>();
        if (!string.IsNullOrWhiteSpace(options?.Instructions))
        {
            result.Add(new OAI.SystemChatMessage(options.Instructions));
        }

        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                result.Add(new OAI.SystemChatMessage(message.Text));
            }
            else if (message.Role == ChatRole.User)
            {
                result.Add(new OAI.UserChatMessage(message.Text));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                var calls = message.Contents.OfType<FunctionCallContent>()
                    .Select(c => OAI.ChatToolCall.CreateFunctionToolCall(c.CallId, c.Name, BinaryData.FromString(JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>(), WireJson))))
                    .ToList();
                if (calls.Count == 0)
                {
                    result.Add(new OAI.AssistantChatMessage(message.Text));
                    continue;
                }

                var assistant = new OAI.AssistantChatMessage(calls);
                if (!string.IsNullOrEmpty(message.Text))
                {
                    assistant.Content.Add(OAI.ChatMessageContentPart.CreateTextPart(message.Text));
                }

                result.Add(assistant);
            }
            else if (message.Role == ChatRole.Tool)
            {
                foreach (var functionResult in message.Contents.OfType<FunctionResultContent>())
                {
                    result.Add(new OAI.ToolChatMessage(functionResult.CallId, ResultText(functionResult)));
                }
            }
            else
            {
                result.Add(new OAI.UserChatMessage(message.Text));
            }
        }

        return result;
    }

    /// <summary>The text a tool result is sent as: strings verbatim, anything else as compact JSON.</summary>
    internal static string ResultText(FunctionResultContent content)
    {
        var text = content.Result switch
        {
            null => "",
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString() ?? "",
            _ => JsonSerializer.Serialize(content.Result, WireJson),
        };
        if (content.Exception is { } ex && text.Length == 0)
        {
            text = "Error: " + ex.Message;
        }

        return text;
    }

    private static OAI.ChatCompletionOptions ToOpenAIOptions(ChatOptions? options)
    {
        var result = new OAI.ChatCompletionOptions();
        if (options is null)
        {
            return result;
        }

        result.Temperature = options.Temperature;
        result.TopP = options.TopP;
        result.MaxOutputTokenCount = options.MaxOutputTokens;
        result.FrequencyPenalty = options.FrequencyPenalty;
        result.PresencePenalty = options.PresencePenalty;
        foreach (var stop in options.StopSequences ?? [])
        {
            result.StopSequences.Add(stop);
        }

        foreach (var tool in options.Tools?.OfType<AIFunctionDeclaration>() ?? [])
        {
            result.Tools.Add(OAI.ChatTool.CreateFunctionTool(tool.Name, tool.Description, BinaryData.FromString(tool.JsonSchema.GetRawText())));
        }

        if (result.Tools.Count > 0)
        {
            result.ToolChoice = options.ToolMode switch
            {
                NoneChatToolMode => OAI.ChatToolChoice.CreateNoneChoice(),
                RequiredChatToolMode { RequiredFunctionName: { } name } => OAI.ChatToolChoice.CreateFunctionChoice(name),
                RequiredChatToolMode => OAI.ChatToolChoice.CreateRequiredChoice(),
                _ => OAI.ChatToolChoice.CreateAutoChoice(),
            };
            result.AllowParallelToolCalls = options.AllowMultipleToolCalls;
        }

        if (options.ResponseFormat is ChatResponseFormatJson json)
        {
            result.ResponseFormat = json.Schema is { } schema
                ? OAI.ChatResponseFormat.CreateJsonSchemaFormat(json.SchemaName ?? "response", BinaryData.FromString(schema.GetRawText()), json.SchemaDescription)
                : OAI.ChatResponseFormat.CreateJsonObjectFormat();
        }

        return result;
    }

    private static ChatResponse FromCompletion(OAI.ChatCompletion completion, string requestedModel)
    {
        var message = new MEAI.ChatMessage { Role = ChatRole.Assistant, MessageId = completion.Id, CreatedAt = completion.CreatedAt };
        foreach (var part in completion.Content)
        {
            if (part.Kind == OAI.ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text))
            {
                message.Contents.Add(new TextContent(part.Text));
            }
        }

        if (!string.IsNullOrEmpty(completion.Refusal))
        {
            message.Contents.Add(new TextContent(completion.Refusal));
        }

        foreach (var call in completion.ToolCalls)
        {
            message.Contents.Add(FunctionCallContent.CreateFromParsedArguments(
                call.FunctionArguments,
                call.Id,
                call.FunctionName,
                static data => JsonSerializer.Deserialize<Dictionary<string, object?>>(data.ToString(), WireJson)));
        }

        var response = new ChatResponse(message)
        {
            ResponseId = completion.Id,
            ModelId = string.IsNullOrEmpty(completion.Model) ? requestedModel : completion.Model,
            CreatedAt = completion.CreatedAt,
            RawRepresentation = completion,
            FinishReason = completion.FinishReason switch
            {
                OAI.ChatFinishReason.Stop => MEAI.ChatFinishReason.Stop,
                OAI.ChatFinishReason.Length => MEAI.ChatFinishReason.Length,
                OAI.ChatFinishReason.ContentFilter => MEAI.ChatFinishReason.ContentFilter,
                OAI.ChatFinishReason.ToolCalls or OAI.ChatFinishReason.FunctionCall => MEAI.ChatFinishReason.ToolCalls,
                _ => null,
            },
        };
        if (completion.Usage is { } usage)
        {
            response.Usage = new UsageDetails
            {
                InputTokenCount = usage.InputTokenCount,
                OutputTokenCount = usage.OutputTokenCount,
                TotalTokenCount = usage.TotalTokenCount,
                CachedInputTokenCount = usage.InputTokenDetails?.CachedTokenCount,
                ReasoningTokenCount = usage.OutputTokenDetails?.ReasoningTokenCount,
            };
        }

        return response;
    }
}
