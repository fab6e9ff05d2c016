using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CmacLive.History;

namespace CmacLive.Alerts;

/// <summary>
/// A closed alert in history: one event of the alert ledger's own stream (<see cref="Stream"/> in the asset column, kind
/// <see cref="Kind"/>), at the moment it closed, with the whole alert and its trail as the payload. The event's device column
/// takes a digest of the alert's id (ids can be longer than the column), so each closing is stored once.
/// </summary>
public static class AlertRecords
{
    public const string Stream = "~alerts";
    public const string Kind = "alert";

    /// <summary>Written and read with these alone: the ledger writes, the API reads, whatever their own JSON settings.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    /// <summary>When a closed alert closed: the later of its clearing and its acknowledgement.</summary>
    public static DateTimeOffset ClosedAt(Alert alert) =>
        alert.ClearedAt is { } cleared && alert.AcknowledgedAt is { } acknowledged
            ? (cleared > acknowledged ? cleared : acknowledged)
            : throw new ArgumentException($"alert {alert.Id} is still open", nameof(alert));

    public static EventRecord ToRecord(Alert alert, DateTimeOffset receivedAt) =>
        new(Stream, Key(alert.Id), Kind, ClosedAt(alert), JsonSerializer.Serialize(alert, Json), receivedAt);

    public static Alert Read(string payload) =>
        JsonSerializer.Deserialize<Alert>(payload, Json) ?? throw new JsonException("an alert record holds null");

    /// <summary>
    /// What stands for an alert in history's device column (at most 64 characters; an alert's id can be longer): a digest
    /// of the id, the same for the same id, so a record of the alert written again is stored once.
    /// </summary>
    public static string Key(string alertId) =>
        "alert:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(alertId)).AsSpan(0, 16));
}
