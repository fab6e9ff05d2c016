using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

/// <summary>
/// A phone's SOS: when (the report's time, else the time the request came), where if the request said so, and the key
/// that makes its alert's id (<c>sos-{asset}-{key}</c>). The key is the same for the same report sent again (the app's
/// queue after a failure), so a resend is the same alert: the report's time in ms; without a readable one, a digest of
/// the time as sent; without any, the minute the request came.
/// </summary>
internal sealed record PhoneSos(DateTimeOffset At, string Key, double? Lat, double? Lon)
{
    /// <summary>The SOS of a report with its time (<paramref name="stamped"/>; null when none or unreadable, <paramref name="text"/> as sent).</summary>
    public static PhoneSos Of(DateTimeOffset? stamped, string? text, DateTimeOffset now, double? lat, double? lon)
    {
        var placed = lat is { } a && lon is { } o && FieldRules.CheckPoint(a, o) is null;
        var at = stamped ?? now;
        string key;
        if (stamped is { } ts)
        {
            key = ts.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        }
        else if (text is not null)
        {
            key = "t" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
        }
        else
        {
            var ms = now.ToUnixTimeMilliseconds();
            key = "m" + (ms - (ms % 60_000)).ToString(CultureInfo.InvariantCulture);
        }

        return new PhoneSos(at, key, placed ? lat : null, placed ? lon : null);
    }
}
