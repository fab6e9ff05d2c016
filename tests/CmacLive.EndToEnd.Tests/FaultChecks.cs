using System.Globalization;
using System.Text.Json;

namespace CmacLive.EndToEnd.Tests;

/// <summary>What the fault tests check of the acknowledged fixes, and how they wait.</summary>
public static class FaultChecks
{
    /// <summary>Every acknowledged fix is in the asset's track (read through the REST API) exactly once, and nothing twice.</summary>
    public static async Task AssertStoredOnceAsync(ISiloEndpoint silo, string assetId, IReadOnlyList<AckedFix> fixes)
    {
        var problem = await StoredOnceProblemAsync(silo, assetId, fixes);
        Assert.True(problem is null, problem);
    }

    /// <summary>What is wrong with the stored track of these acknowledged fixes, or null when each is there once.</summary>
    public static async Task<string?> StoredOnceProblemAsync(ISiloEndpoint silo, string assetId, IReadOnlyList<AckedFix> fixes)
    {
        var from = Uri.EscapeDataString(fixes[0].Ts.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O", CultureInfo.InvariantCulture));
        var track = await silo.GetJsonAsync<JsonElement>($"/api/assets/{assetId}/track?from={from}&to={to}");
        var stored = track.GetProperty("properties").GetProperty("times").EnumerateArray()
            .Select(t => DateTimeOffset.Parse(t.GetString()!, CultureInfo.InvariantCulture))
            .ToList();
        var duplicates = stored.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            return $"{assetId}: stored more than once: {string.Join(", ", duplicates)}";
        }

        var set = stored.ToHashSet();
        var missing = fixes.Where(f => !set.Contains(f.Ts)).Select(f => f.Seq).ToList();
        return missing.Count > 0 ? $"{assetId}: acknowledged but not in history: seq {string.Join(", ", missing)}" : null;
    }

    public static TimeSpan LongestGap(SequencedPublisher publisher)
    {
        var acked = publisher.Acked;
        return acked.Zip(acked.Skip(1), (x, y) => y.AckedAt - x.AckedAt).DefaultIfEmpty().Max();
    }

    public static async Task EventuallyAsync(Func<bool> done, TimeSpan within, string what)
    {
        var deadline = DateTime.UtcNow + within;
        while (!done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not {what} within {within.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }
}
