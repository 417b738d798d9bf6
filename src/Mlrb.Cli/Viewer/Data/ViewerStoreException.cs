namespace Mlrb.Cli.Viewer.Data;

/// <summary>A run store the viewer cannot read; the message says why and what to do.</summary>
internal sealed class ViewerStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ViewerStoreException(string message)
        : base(message)
    {
    }
}
