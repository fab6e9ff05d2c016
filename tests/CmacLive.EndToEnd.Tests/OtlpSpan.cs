namespace CmacLive.EndToEnd.Tests;

/// <summary>A span as OTLP sends it: Span { trace_id 1, span_id 2, parent_span_id 4, name 5, attributes 9 (KeyValue { key 1, value 2: AnyValue { string_value 1 } }) }.</summary>
public sealed record OtlpSpan(string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes)
{
    public static OtlpSpan Read(ReadOnlyMemory<byte> span, string scope)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in ProtobufReader.All(span, 9))
        {
            var value = ProtobufReader.One(attribute, 2);
            if (ProtobufReader.All(value, 1).Any())
            {
                attributes[ProtobufReader.Text(attribute, 1)] = ProtobufReader.Text(value, 1);
            }
        }

        return new OtlpSpan(scope, ProtobufReader.Hex(span, 1), ProtobufReader.Hex(span, 2), ProtobufReader.Hex(span, 4),
            ProtobufReader.Text(span, 5), attributes);
    }
}
