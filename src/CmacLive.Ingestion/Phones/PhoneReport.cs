using CmacLive.Tracking;

namespace CmacLive.Ingestion.Phones;

/// <summary>
/// One phone request read: who it says it is (<see cref="DeviceId"/>, and its secret as <c>key=</c>), and its fix as the
/// contract's position payload, or what is wrong with it. Neither a payload nor a problem: a report without a position (the
/// app's heartbeat), answered 200 and counted as ignored.
/// </summary>
internal sealed record PhoneReport
{
    public string? DeviceId { get; init; }

    public string? Key { get; init; }

    public PhoneProblem? Problem { get; init; }

    /// <summary>The app's SOS button was pressed (Traccar Client's <c>alarm=sos</c>): when, and where if the request said so.</summary>
    public PhoneSos? Sos { get; init; }

    /// <summary>The fix as the contract's position payload (<c>cmac/v1/{id}/position</c>): <c>{ts, lat, lon, acc?, alt?, spd?, hdg?, bat?}</c>.</summary>
    public byte[]? Payload { get; init; }

    /// <summary>The request's own name of each member of <see cref="Payload"/> (<c>spd</c> was <c>speed</c>), to name a refused one as it was sent.</summary>
    public IReadOnlyDictionary<string, string> Names { get; init; } = new Dictionary<string, string>();

    public static PhoneReport Refused(RejectReason reason, string field, string message, string? deviceId = null, string? key = null) =>
        new() { DeviceId = deviceId, Key = key, Problem = new PhoneProblem(reason, field, message) };

    /// <summary>The request's name of a payload member, or the member itself.</summary>
    public string NameOf(string? member) => member is null ? "body" : Names.TryGetValue(member, out var name) ? name : member;
}

/// <summary>A phone's SOS: the report's time (the time the request came when it had none, or one that could not be read), and its position if it had a readable one.</summary>
internal sealed record PhoneSos(DateTimeOffset At, double? Lat, double? Lon);
