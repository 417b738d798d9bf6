using System.Globalization;
using Mlrb.Agents;

namespace Mlrb.Cli.Commands.Run;

/// <summary>Parses <c>--price MODEL=INPUT:OUTPUT</c> (US dollars per million tokens).</summary>
internal static class PriceParser
{
    /// <summary>Parses one entry.</summary>
    /// <param name="text">The entry.</param>
    /// <param name="model">The model id.</param>
    /// <param name="price">The price.</param>
    /// <returns>True when the entry is well formed with non-negative prices.</returns>
    public static bool TryParse(string text, out string model, out ModelPrice price)
    {
        model = "";
        price = new ModelPrice(0, 0);
        var equals = text.LastIndexOf('=');
        if (equals <= 0)
        {
            return false;
        }

        var parts = text[(equals + 1)..].Split(':');
        if (parts.Length != 2
            || !decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var input)
            || !decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var output)
            || input < 0 || output < 0)
        {
            return false;
        }

        model = text[..equals].Trim();
        price = new ModelPrice(input, output);
        return model.Length > 0;
    }
}
