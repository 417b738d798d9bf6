using Microsoft.Extensions.AI;

namespace Mlrb.Agents.Budgets;

/// <summary>Run-wide token and cost totals, from the providers' usage fields. Thread-safe.</summary>
internal sealed class UsageMeter
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ModelPrice> _prices;
    private long _input;
    private long _output;
    private decimal _cost;
    private bool _unpriced;

    /// <summary>Creates a meter that starts at the given totals (non-zero when a run resumes).</summary>
    /// <param name="prices">Prices by model id.</param>
    /// <param name="input">Input tokens already spent.</param>
    /// <param name="output">Output tokens already spent.</param>
    /// <param name="cost">Cost already spent.</param>
    public UsageMeter(IDictionary<string, ModelPrice> prices, long input = 0, long output = 0, decimal cost = 0)
    {
        _prices = new Dictionary<string, ModelPrice>(prices, StringComparer.OrdinalIgnoreCase);
        _input = input;
        _output = output;
        _cost = cost;
    }

    /// <summary>Input tokens so far.</summary>
    public long InputTokens
    {
        get
        {
            lock (_gate)
            {
                return _input;
            }
        }
    }

    /// <summary>Output tokens so far.</summary>
    public long OutputTokens
    {
        get
        {
            lock (_gate)
            {
                return _output;
            }
        }
    }

    /// <summary>Input plus output tokens.</summary>
    public long TotalTokens
    {
        get
        {
            lock (_gate)
            {
                return _input + _output;
            }
        }
    }

    /// <summary>Cost in US dollars, or null when no call could be priced.</summary>
    public decimal? CostUsd
    {
        get
        {
            lock (_gate)
            {
                return _cost > 0 || (!_unpriced && _prices.Count > 0) ? _cost : null;
            }
        }
    }

    /// <summary>Adds one call's usage.</summary>
    /// <param name="modelId">The model that answered (to find its price).</param>
    /// <param name="usage">The usage the API reported.</param>
    public void Add(string? modelId, UsageDetails? usage)
    {
        if (usage is null)
        {
            return;
        }

        var input = usage.InputTokenCount ?? 0;
        var output = usage.OutputTokenCount ?? 0;
        lock (_gate)
        {
            _input += input;
            _output += output;
            if (FindPrice(modelId) is { } price)
            {
                _cost += ((input * price.InputPerMillion) + (output * price.OutputPerMillion)) / 1_000_000m;
            }
            else
            {
                _unpriced = true;
            }
        }
    }

    private ModelPrice? FindPrice(string? modelId)
    {
        if (modelId is null)
        {
            return null;
        }

        if (_prices.TryGetValue(modelId, out var exact))
        {
            return exact;
        }

        // Dated snapshots ("gpt-4o-2024-08-06") use the price of their family ("gpt-4o"): take the longest matching prefix.
        return _prices.Where(p => modelId.StartsWith(p.Key, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(p => p.Key.Length)
            .Select(p => p.Value)
            .FirstOrDefault();
    }
}
