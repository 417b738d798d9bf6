using System.CommandLine;

namespace Mlrb.Cli.Tests;

/// <summary>Runs the mlrb command line in this process with captured standard output and error: the one helper every CLI test uses.</summary>
internal static class CliInvoker
{
    /// <summary>Parses and invokes <paramref name="args"/> synchronously.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = CliApplication.BuildRoot().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Parses and invokes <paramref name="args"/> asynchronously.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliApplication.BuildRoot().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
