using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Mlrb.Cli.Commands.Mcp;

/// <summary>
/// Sits between the client's byte stream and the MCP SDK: reads newline-delimited JSON-RPC with a per-message size
/// limit (an oversized line is skipped as it streams past, never held), answers every malformed message with the
/// JSON-RPC 2.0 error the specification prescribes, refuses requests other than <c>initialize</c> and <c>ping</c> before
/// the session is initialized, and forwards the rest to the SDK unchanged.
/// </summary>
internal sealed class JsonRpcGate : IDisposable
{
    /// <summary>JSON-RPC: invalid JSON was received.</summary>
    public const int ParseError = -32700;

    /// <summary>JSON-RPC: the JSON sent is not a valid request object.</summary>
    public const int InvalidRequest = -32600;

    /// <summary>Implementation-defined server error (as in LSP): a request arrived before <c>initialize</c>.</summary>
    public const int NotInitialized = -32002;

    private readonly Stream _input;
    private readonly LineWriter _output;
    private readonly int _maxMessageBytes;
    private readonly Pipe _toServer = new();
    private bool _initializeSeen;

    /// <summary>Creates the gate.</summary>
    /// <param name="input">The client's messages (stdin).</param>
    /// <param name="output">Where the server's and the gate's messages go (stdout).</param>
    /// <param name="maxMessageBytes">Largest message accepted, in bytes.</param>
    public JsonRpcGate(Stream input, Stream output, int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 16);
        _input = input;
        _output = new LineWriter(output);
        _maxMessageBytes = maxMessageBytes;
    }

    /// <inheritdoc />
    public void Dispose() => _output.Dispose();

    /// <summary>The checked messages, for the SDK's transport to read.</summary>
    public Stream ServerInput => _toServer.Reader.AsStream();

    /// <summary>For the SDK's transport to write to: whole lines reach the output, never interleaved with the gate's errors.</summary>
    public Stream ServerOutput => _output;

    /// <summary>Reads the client until its stream ends, then ends the server's input.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(1 << 16);
        var line = new ArrayBufferWriter<byte>(1 << 12);
        long skipped = 0;
        try
        {
            int read;
            while ((read = await _input.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var start = 0;
                while (start < read)
                {
                    var newline = Array.IndexOf(chunk, (byte)'\n', start, read - start);
                    var end = newline < 0 ? read : newline;
                    var count = end - start;
                    if (skipped == 0 && line.WrittenCount + count <= _maxMessageBytes)
                    {
                        line.Write(chunk.AsSpan(start, count));
                    }
                    else
                    {
                        skipped += skipped == 0 ? line.WrittenCount + count : count;
                        line.ResetWrittenCount();
                        if (line.Capacity > 1 << 16)
                        {
                            line = new ArrayBufferWriter<byte>(1 << 12);
                        }
                    }

                    if (newline < 0)
                    {
                        break;
                    }

                    await HandleAsync(line.WrittenMemory, skipped, cancellationToken).ConfigureAwait(false);
                    line.ResetWrittenCount();
                    if (line.Capacity > 1 << 20)
                    {
                        line = new ArrayBufferWriter<byte>(1 << 12); // give back a large message's buffer
                    }

                    skipped = 0;
                    start = newline + 1;
                }
            }

            if (line.WrittenCount > 0 || skipped > 0)
            {
                await HandleAsync(line.WrittenMemory, skipped, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
            await _toServer.Writer.CompleteAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> message, long skipped, CancellationToken cancellationToken)
    {
        if (skipped > 0)
        {
            await ErrorAsync(null, InvalidRequest, string.Create(CultureInfo.InvariantCulture, $"Invalid Request: the message is {skipped:N0} bytes, over the {_maxMessageBytes:N0}-byte limit (mlrb mcp --max-message-bytes); it was discarded unread")).ConfigureAwait(false);
            return;
        }

        var trimmed = message.Span.Trim(" \t\r"u8);
        if (trimmed.IsEmpty)
        {
            return;
        }

        JsonNode? node;
        try
        {
            if (!Utf8.IsValid(trimmed))
            {
                throw new JsonException("not valid UTF-8");
            }

            node = JsonNode.Parse(trimmed, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            await ErrorAsync(null, ParseError, "Parse error: the message is not valid JSON").ConfigureAwait(false);
            return;
        }

        if (node is JsonArray batch)
        {
            // MCP (2025-06-18) has no batches; each element still gets its answer, in one array as JSON-RPC requires.
            var answers = new JsonArray();
            foreach (var element in batch)
            {
                answers.Add(Error(ValidId(element), InvalidRequest, batch.Count == 0 ? "Invalid Request: empty batch" : "Invalid Request: JSON-RPC batches are not supported by MCP; send one message per line"));
            }

            if (answers.Count == 0)
            {
                answers = null;
            }

            await _output.WriteLineAsync(answers is null ? Error(null, InvalidRequest, "Invalid Request: empty batch") : answers, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Validate(node) is { } problem)
        {
            await ErrorAsync(ValidId(node), InvalidRequest, "Invalid Request: " + problem).ConfigureAwait(false);
            return;
        }

        var obj = (JsonObject)node!;
        var method = obj["method"]?.GetValue<string>();
        var isRequest = method is not null && obj.ContainsKey("id");
        if (method == "initialize")
        {
            _initializeSeen = true;
        }
        else if (!_initializeSeen && method is not null && method != "ping")
        {
            if (isRequest)
            {
                await ErrorAsync(ValidId(node), NotInitialized, $"Server not initialized: send 'initialize' before '{Clip(method)}'").ConfigureAwait(false);
            }

            return; // a notification before initialize is dropped, as it cannot be answered
        }

        await _toServer.Writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        await _toServer.Writer.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>What makes a parsed message not a JSON-RPC 2.0 request, notification or response; null when it is one.</summary>
    internal static string? Validate(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            return "a message must be a JSON object";
        }

        if (obj["jsonrpc"] is not JsonValue version || version.GetValueKind() != JsonValueKind.String || version.GetValue<string>() != "2.0")
        {
            return "'jsonrpc' must be exactly '2.0'";
        }

        if (obj.ContainsKey("id") && ValidId(obj) is null)
        {
            return "'id' must be a string or an integer";
        }

        if (obj.ContainsKey("method"))
        {
            if (obj["method"] is not JsonValue m || m.GetValueKind() != JsonValueKind.String)
            {
                return "'method' must be a string";
            }

            if (obj["params"] is { } p && p is not JsonObject && p is not JsonArray)
            {
                return "'params' must be an object or an array";
            }

            return null;
        }

        var isResult = obj.ContainsKey("result");
        var isError = obj.ContainsKey("error");
        if (isResult == isError || !obj.ContainsKey("id"))
        {
            return "a message needs 'method' (a request or notification) or an 'id' with exactly one of 'result' and 'error' (a response)";
        }

        return null;
    }

    /// <summary>The message's id when it is one JSON-RPC allows (string or integer; MCP forbids null), else null.</summary>
    private static JsonNode? ValidId(JsonNode? node)
    {
        if (node is not JsonObject obj || obj["id"] is not JsonValue id)
        {
            return null;
        }

        return id.GetValueKind() switch
        {
            JsonValueKind.String => id.DeepClone(),
            JsonValueKind.Number when id.TryGetValue<long>(out _) || (double.TryParse(id.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d)) => id.DeepClone(),
            _ => null,
        };
    }

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "...";

    private static JsonObject Error(JsonNode? id, int code, string message) => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = id,
        ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
    };

    private Task ErrorAsync(JsonNode? id, int code, string message) => _output.WriteLineAsync(Error(id, code, message), CancellationToken.None);
}
