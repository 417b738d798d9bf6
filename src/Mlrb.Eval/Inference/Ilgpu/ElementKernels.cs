using ILGPU;
using ILGPU.Algorithms;

namespace Mlrb.Eval.Inference.Ilgpu;

/// <summary>ILGPU kernels with one thread per output element (auto-grouped launches).</summary>
internal static class ElementKernels
{
    /// <summary><c>output[t, c] (+)= table[ids[t] + offset, c]</c> over <c>tokens·width</c> elements.</summary>
    public static void Gather(Index1D iIndex, ArrayView<int> ids, ArrayView<float> single, ArrayView<ushort> bits, GatherShape s, ArrayView<float> output)
    {
        int i = iIndex;
        var token = i / s.Width;
        var column = i - (token * s.Width);
        var row = (long)(ids[token] + s.Offset);
        var value = DeviceMath.Load(single, bits, s.Type, (row * s.Width) + column);
        output[i] = s.Accumulate != 0 ? output[i] + value : value;
    }

    /// <summary><c>c[r, n] += bias[n]</c> over <c>rows·n</c> elements.</summary>
    public static void AddBias(Index1D i, ArrayView<float> bias, int n, ArrayView<float> c)
        => c[i] += bias[i % n];

    /// <summary><c>a += b</c>.</summary>
    public static void Add(Index1D i, ArrayView<float> a, ArrayView<float> b) => a[i] += b[i];

    /// <summary><c>a *= factor</c>.</summary>
    public static void Scale(Index1D i, ArrayView<float> a, float factor) => a[i] *= factor;

    /// <summary><c>a = cap · tanh(a / cap)</c>.</summary>
    public static void SoftCap(Index1D i, ArrayView<float> a, float cap) => a[i] = cap * XMath.Tanh(a[i] * (1f / cap));

    /// <summary>The activation over <c>rows·outWidth</c> outputs; gated rows are <c>[gate | up]</c>.</summary>
    public static void Activate(Index1D iIndex, ArrayView<float> x, int width, int outWidth, int function, int gated, ArrayView<float> y)
    {
        int i = iIndex;
        var row = i / outWidth;
        var column = i - (row * outWidth);
        var source = ((long)row * width) + column;
        var value = DeviceMath.Activate(function, x[source]);
        y[i] = gated != 0 ? value * x[source + outWidth] : value;
    }

    /// <summary><c>y[r, c] = x[rows[r], c]</c> over <c>outputRows·width</c> elements.</summary>
    public static void SelectRows(Index1D iIndex, ArrayView<int> rows, ArrayView<float> x, int width, ArrayView<float> y)
    {
        int i = iIndex;
        var r = i / width;
        var column = i - (r * width);
        y[i] = x[((long)rows[r] * width) + column];
    }

    /// <summary>Rotate-half rotary embedding in place, one thread per (token, head, pair); query heads first, then key heads.</summary>
    public static void Rotary(Index1D iIndex, ArrayView<float> cos, ArrayView<float> sin, ArrayView<float> qkv, RotaryShape s)
    {
        int i = iIndex;
        var half = s.RotaryDimensions / 2;
        var heads = s.QueryHeads + s.KeyValueHeads;
        var pair = i % half;
        var rest = i / half;
        var head = rest % heads;
        var token = rest / heads;
        var headStart = head < s.QueryHeads
            ? head * s.HeadDimension
            : s.QueryHeads * s.HeadDimension + ((head - s.QueryHeads) * s.HeadDimension);
        var at = ((long)token * s.Width) + headStart + pair;
        var c = cos[(token * half) + pair];
        var n = sin[(token * half) + pair];
        var x1 = qkv[at];
        var x2 = qkv[at + half];
        qkv[at] = (x1 * c) - (x2 * n);
        qkv[at + half] = (x2 * c) + (x1 * n);
    }

    /// <summary>Copies one sequence's keys and values into its cache after its prefix: one thread per (token, channel).</summary>
    public static void StoreKeyValues(Index1D iIndex, ArrayView<float> qkv, StoreShape s, ArrayView<float> keys, ArrayView<float> values)
    {
        int i = iIndex;
        var t = i / s.KeyValueWidth;
        var c = i - (t * s.KeyValueWidth);
        var source = ((long)(s.Row0 + t) * s.Width) + s.QueryWidth + c;
        var target = ((long)(s.Offset + t) * s.KeyValueWidth) + c;
        keys[target] = qkv[source];
        values[target] = qkv[source + s.KeyValueWidth];
    }

    /// <summary><c>output[i] = logits[rows[i], ids[i]]</c>: the target logits of the log-softmax gather.</summary>
    public static void GatherTargets(Index1D i, ArrayView<float> logits, int width, ArrayView<int> rows, ArrayView<int> ids, ArrayView<float> output)
        => output[i] = logits[((long)rows[i] * width) + ids[i]];
}
