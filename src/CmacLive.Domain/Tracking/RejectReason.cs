using System.Text.Json.Serialization;

namespace CmacLive.Tracking;

/// <summary>Why a field report is refused. Each reason is counted and logged where it is refused.</summary>
public enum RejectReason
{
    [JsonStringEnumMemberName("malformed")] Malformed,
    [JsonStringEnumMemberName("out-of-range")] OutOfRange,
    [JsonStringEnumMemberName("no-fix")] NoFix,
    [JsonStringEnumMemberName("future-time")] FutureTime,
    [JsonStringEnumMemberName("ancient-time")] AncientTime,
    [JsonStringEnumMemberName("too-large")] TooLarge,
    [JsonStringEnumMemberName("forbidden")] Forbidden,
    [JsonStringEnumMemberName("unknown-topic")] UnknownTopic,
    [JsonStringEnumMemberName("unknown-device")] UnknownDevice,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("conflict")] Conflict,

    /// <summary>The device sent more than <c>Mqtt:MaxMessagesPerSecondPerDevice</c> allows.</summary>
    [JsonStringEnumMemberName("rate-limited")] RateLimited,
}
