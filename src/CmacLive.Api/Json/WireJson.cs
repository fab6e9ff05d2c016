using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CmacLive.Api.Json;

/// <summary>
/// The one JSON shape of the public contract, for REST and the hub alike: camelCase, enums as strings, UTC times, and text
/// escaped only where JSON must be (a phone's <c>+</c>, Khmer names, go as they are: every answer is
/// <c>application/json</c> with <c>nosniff</c>, never HTML); numbers are JSON numbers, never numbers in strings.
/// </summary>
public static class WireJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        options.Converters.Add(new UtcTimeConverter());
    }

    public static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
