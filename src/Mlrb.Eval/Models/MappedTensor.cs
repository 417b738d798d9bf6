using System.IO.MemoryMappedFiles;
using Mlrb.Eval.Inference;

namespace Mlrb.Eval.Models;

/// <summary>One safetensors tensor mapped in place; disposing it unmaps its pages.</summary>
internal sealed unsafe class MappedTensor : IDisposable
{
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _data;

    public MappedTensor(SafeTensorInfo info, WeightType type, MemoryMappedViewAccessor? view, byte* data)
    {
        Info = info;
        Type = type;
        _view = view;
        _data = data;
    }

    public SafeTensorInfo Info { get; }

    public WeightType Type { get; }

    /// <summary>The tensor as a <c>[rows, columns]</c> matrix (the caller has checked the shape).</summary>
    public HostTensor Matrix(int rows, int columns)
    {
        ObjectDisposedException.ThrowIf(_view is not null && _data is null, this);
        return new HostTensor(_data, Type, rows, columns, columns);
    }

    public void Dispose()
    {
        if (_view is not null && _data is not null)
        {
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
            _view.Dispose();
            _data = null;
        }
    }
}
