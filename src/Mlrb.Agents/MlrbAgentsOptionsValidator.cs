using Microsoft.Extensions.Options;

namespace Mlrb.Agents;

/// <summary>Reports every invalid <see cref="MlrbAgentsOptions"/> setting by name.</summary>
internal sealed class MlrbAgentsOptionsValidator : IValidateOptions<MlrbAgentsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MlrbAgentsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
