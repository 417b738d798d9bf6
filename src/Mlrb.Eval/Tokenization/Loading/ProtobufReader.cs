using System.Buffers.Binary;
using System.Text;

namespace Mlrb.Eval.Tokenization.Loading;

/// <summary>A minimal reader of the protobuf wire format (enough for SentencePiece's <c>ModelProto</c>).</summary>
/// <param name="data">The message bytes.</param>
/// <param name="file">The file name used in messages.</param>
internal ref struct ProtobufReader(ReadOnlySpan<byte> data, string file)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    /// <summary>The field number of the current field.</summary>
    public int Field { get; private set; }

    /// <summary>The wire type of the current field (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public int WireType { get; private set; }

    /// <summary>Advances to the next field.</summary>
    /// <returns>False at the end of the message.</returns>
    public bool Next()
    {
        if (_position >= _data.Length)
        {
            return false;
        }

        var tag = ReadVarint();
        Field = (int)(tag >> 3);
        WireType = (int)(tag & 7);
        if (Field == 0)
        {
            throw Malformed("field number 0");
        }

        return true;
    }

    /// <summary>Reads a varint field.</summary>
    /// <returns>The value.</returns>
    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw Malformed("truncated varint");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw Malformed("varint longer than 10 bytes");
    }

    /// <summary>Reads a length-delimited field.</summary>
    /// <returns>The bytes.</returns>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _position))
        {
            throw Malformed("a length-delimited field runs past the end of the file");
        }

        var result = _data.Slice(_position, (int)length);
        _position += (int)length;
        return result;
    }

    /// <summary>Reads a length-delimited field as UTF-8 text.</summary>
    /// <returns>The text.</returns>
    public string ReadString() => Encoding.UTF8.GetString(ReadBytes());

    /// <summary>Reads a fixed32 field as a float.</summary>
    /// <returns>The value.</returns>
    public float ReadFloat()
    {
        if (_data.Length - _position < 4)
        {
            throw Malformed("truncated float");
        }

        var value = BinaryPrimitives.ReadSingleLittleEndian(_data.Slice(_position, 4));
        _position += 4;
        return value;
    }

    /// <summary>Skips the current field's value.</summary>
    public void Skip()
    {
        switch (WireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw Malformed($"unsupported wire type {WireType} for field {Field}");
        }
    }

    private void Advance(int count)
    {
        if (_data.Length - _position < count)
        {
            throw Malformed("truncated fixed-width field");
        }

        _position += count;
    }

    private readonly TokenizerLoadException Malformed(string what)
        => new(file, null, $"not a valid SentencePiece model (protobuf): {what} at byte {_position}");
}
