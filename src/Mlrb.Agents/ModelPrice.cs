namespace Mlrb.Agents;

/// <summary>What a model costs, in US dollars per million tokens.</summary>
/// <param name="InputPerMillion">Price of one million input (prompt) tokens.</param>
/// <param name="OutputPerMillion">Price of one million output (completion) tokens.</param>
public sealed record ModelPrice(decimal InputPerMillion, decimal OutputPerMillion);
