using System.Globalization;
using CmacLive.Tracking;

namespace CmacLive.Api.Apis;

/// <summary>
/// The <c>from</c>/<c>to</c> query of every route that answers a period, read one way: each an ISO-8601 time (a bare date
/// is its midnight UTC; a time without an offset is UTC), in the years 2000 to 2999; the period <c>[from, to)</c>, at most
/// a route's longest (both are named when it is longer); without <c>from</c>, the route's default span before <c>to</c>, or
/// before now. Without <c>to</c>, everything stored so far: up to <see cref="OpenEnd"/> after now (a device's fix may be stamped
/// that far ahead and is accepted; an entry written by a silo whose clock is ahead of this one's is read too).
/// Each problem is reported under the parameter's name.
/// </summary>
public static class TimeRange
{
    /// <summary>How far past now a period without <c>to</c> reaches: the most a device's clock may be ahead (<see cref="FieldRules.MaxClockSkew"/>).</summary>
    public static readonly TimeSpan OpenEnd = FieldRules.MaxClockSkew;

    /// <summary>The period asked for; <paramref name="errors"/> holds what was wrong with it (the answer is then unused).</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Read(
        string? from, string? to, DateTimeOffset now, TimeSpan defaultSpan, TimeSpan longest, IDictionary<string, string[]> errors)
    {
        var asked = Time(to, "to", errors);
        var end = asked ?? now + OpenEnd;
        // The default span and the longest period count from now when there is no to: the open end is not asked for.
        var start = Time(from, "from", errors) ?? (asked ?? now) - defaultSpan;
        if (errors.ContainsKey("from") || errors.ContainsKey("to"))
        {
            return (start, end);
        }

        if (start >= end)
        {
            errors["from"] = [asked is null ? string.Create(CultureInfo.InvariantCulture, $"must be before to, or without to at most {OpenEnd.TotalMinutes:0} minutes after now") : "must be before to"];
        }
        else if ((asked ?? now) - start > longest)
        {
            // Both ends make the period: each is named.
            string[] tooLong = [string.Create(CultureInfo.InvariantCulture, $"the period from 'from' to 'to' may be at most {Describe(longest)}")];
            errors["from"] = tooLong;
            errors["to"] = tooLong;
        }

        return (start, end);
    }

    /// <summary>One time of the query; null when it is absent or wrong (then named in <paramref name="errors"/>).</summary>
    public static DateTimeOffset? Time(string? text, string name, IDictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            errors[name] = ["must be an ISO-8601 time such as 2026-05-12T03:04:05Z, or a date such as 2026-05-12"];
            return null;
        }

        if (parsed.Year is < 2000 or > 2999)
        {
            errors[name] = ["must be between the years 2000 and 2999"];
            return null;
        }

        return parsed;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalDays:0.#} days") : string.Create(CultureInfo.InvariantCulture, $"{span.TotalHours:0.#} hours");
}
