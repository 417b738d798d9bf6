using System.Text.Json;
using Mlrb.Eval.Scoring;

namespace Mlrb.Cli.Commands.Score;

/// <summary>
/// A file of log-likelihood requests for <c>mlrb score --requests</c>: a JSON array whose items are all token-id pairs
/// (<c>[[context ids], [continuation ids]]</c>, as benchmarks/scripts/torch_scoring.py writes them, or
/// <c>{"context_tokens": [...], "continuation_tokens": [...]}</c>) or all text pairs (<c>{"context": "...", "continuation": "..."}</c>).
/// </summary>
internal sealed class RequestFile
{
    private RequestFile(IReadOnlyList<TokenLogLikelihoodRequest>? tokens, IReadOnlyList<LogLikelihoodRequest>? texts)
    {
        Tokens = tokens;
        Texts = texts;
    }

    /// <summary>Token-id requests, or null for a text file.</summary>
    public IReadOnlyList<TokenLogLikelihoodRequest>? Tokens { get; }

    /// <summary>Text requests, or null for a token-id file.</summary>
    public IReadOnlyList<LogLikelihoodRequest>? Texts { get; }

    /// <summary>Number of requests.</summary>
    public int Count => Tokens?.Count ?? Texts!.Count;

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The file is not such an array (the message names the item).</exception>
    public static RequestFile Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: expected a JSON array of requests.");
        }

        var tokens = new List<TokenLogLikelihoodRequest>();
        var texts = new List<LogLikelihoodRequest>();
        var index = 0;
        foreach (var item in document.RootElement.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() == 2)
            {
                tokens.Add(new TokenLogLikelihoodRequest(Ids(item[0], path, index), Ids(item[1], path, index)));
            }
            else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("continuation_tokens", out var cont))
            {
                var ctx = item.TryGetProperty("context_tokens", out var c) ? Ids(c, path, index) : [];
                tokens.Add(new TokenLogLikelihoodRequest(ctx, Ids(cont, path, index)));
            }
            else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("continuation", out var text) && text.ValueKind == JsonValueKind.String)
            {
                var ctx = item.TryGetProperty("context", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : string.Empty;
                texts.Add(new LogLikelihoodRequest(ctx, text.GetString()!));
            }
            else
            {
                throw new FormatException($"{path}: request {index} is neither [[context ids], [continuation ids]] nor an object with continuation_tokens or continuation.");
            }

            index++;
        }

        if (tokens.Count > 0 && texts.Count > 0)
        {
            throw new FormatException($"{path}: mixes token-id and text requests; use one kind per file.");
        }

        if (index == 0)
        {
            throw new FormatException($"{path}: no requests.");
        }

        return texts.Count > 0 ? new RequestFile(null, texts) : new RequestFile(tokens, null);
    }

    private static int[] Ids(JsonElement element, string path, int index)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"{path}: request {index}: token ids must be an array of integers.");
        }

        var ids = new int[element.GetArrayLength()];
        var i = 0;
        foreach (var id in element.EnumerateArray())
        {
            if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out ids[i]) || ids[i] < 0)
            {
                throw new FormatException($"{path}: request {index}: '{id.GetRawText()}' is not a token id.");
            }

            i++;
        }

        return ids;
    }
}
