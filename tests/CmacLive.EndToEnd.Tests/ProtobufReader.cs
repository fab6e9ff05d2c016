namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// Just enough of the protobuf wire format to walk an OTLP message: each field's number and, for length-delimited fields
/// (strings, bytes, nested messages), its bytes; varints and fixed-size fields are skipped over correctly.
/// </summary>
public static class ProtobufReader
{
    /// <summary>The length-delimited fields of a message, in order, as (field number, bytes).</summary>
    public static List<(int Field, ReadOnlyMemory<byte> Bytes)> Fields(ReadOnlyMemory<byte> message)
    {
        var fields = new List<(int, ReadOnlyMemory<byte>)>();
        var span = message.Span;
        var at = 0;
        while (at < span.Length)
        {
            var key = Varint(span, ref at);
            var field = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    Varint(span, ref at);
                    break;
                case 1:
                    at += 8;
                    break;
                case 2:
                    var length = (int)Varint(span, ref at);
                    fields.Add((field, message.Slice(at, length)));
                    at += length;
                    break;
                case 5:
                    at += 4;
                    break;
                default:
                    throw new FormatException($"wire type {key & 7} of field {field} is not used by OTLP");
            }
        }

        if (at != span.Length)
        {
            throw new FormatException("a field runs past the end of its message");
        }

        return fields;
    }

    public static IEnumerable<ReadOnlyMemory<byte>> All(ReadOnlyMemory<byte> message, int field) =>
        Fields(message).Where(f => f.Field == field).Select(f => f.Bytes);

    public static ReadOnlyMemory<byte> One(ReadOnlyMemory<byte> message, int field) =>
        All(message, field).FirstOrDefault();

    public static string Text(ReadOnlyMemory<byte> message, int field) => System.Text.Encoding.UTF8.GetString(One(message, field).Span);

    public static string Hex(ReadOnlyMemory<byte> message, int field) => Convert.ToHexString(One(message, field).Span).ToLowerInvariant();

    private static ulong Varint(ReadOnlySpan<byte> span, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = span[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new FormatException("a varint longer than 10 bytes");
    }
}
