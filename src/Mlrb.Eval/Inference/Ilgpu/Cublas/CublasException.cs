namespace Mlrb.Eval.Inference.Ilgpu.Cublas;

/// <summary>cuBLAS could not be loaded, or a cuBLAS call returned an error status. The message is one line.</summary>
internal sealed class CublasException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public CublasException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CublasException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public CublasException()
    {
    }
}
