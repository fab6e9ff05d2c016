using System.Globalization;

namespace CmacLive.Alerts;

/// <summary>
/// Keeps the assets working in one area apart: when two of them, both working, report positions (no more
/// than <see cref="AlertRules.SeparationMaxSkew"/> apart in device time) closer than
/// <see cref="AlertRules.MinSeparationM"/>, one alert is raised for the pair; it clears when they are
/// apart again or one stops working. Positions are in metres of the area's projection. A late position
/// (older than the asset's newest) is not judged.
/// </summary>
public sealed class SeparationWatch(string area, string? unit, AlertRules rules, SeparationState state)
{
    private readonly Dictionary<string, Spot> _spots = new(StringComparer.Ordinal);

    public void Update(string assetId, DateTimeOffset ts, double x, double y, bool working, DateTimeOffset now)
    {
        if (_spots.TryGetValue(assetId, out var known) && ts <= known.Ts)
        {
            return;
        }

        var spot = new Spot(ts, x, y, working);
        _spots[assetId] = spot;
        foreach (var (otherId, other) in _spots)
        {
            if (otherId == assetId)
            {
                continue;
            }

            var key = PairKey(assetId, otherId);
            var open = state.OpenPairs.TryGetValue(key, out var alertId);
            if (!working || !other.Working)
            {
                if (open)
                {
                    Close(key, alertId!, now);
                }

                continue;
            }

            if ((ts - other.Ts).Duration() > rules.SeparationMaxSkew)
            {
                continue; // not comparable: the other's position is too old to judge either way
            }

            var distance = Math.Sqrt(((x - other.X) * (x - other.X)) + ((y - other.Y) * (y - other.Y)));
            if (distance < rules.MinSeparationM && !open)
            {
                var (a, b) = Ordered(assetId, otherId);
                var id = AlertIds.For(AlertKinds.Proximity, $"{a}-{b}", ts);
                state.OpenPairs[key] = id;
                state.Outbox.Add(AlertSignal.Raise(new Alert
                {
                    Id = id,
                    Kind = AlertKinds.Proximity,
                    Severity = AlertSeverity.High,
                    AssetId = assetId,
                    HazardArea = area,
                    Unit = unit,
                    Message = string.Create(CultureInfo.InvariantCulture,
                        $"{a} and {b} are {distance:0.0} m apart in {area}; the minimum working distance is {rules.MinSeparationM:0.#} m"),
                    RaisedAt = now,
                }));
            }
            else if (distance >= rules.MinSeparationM && open)
            {
                Close(key, alertId!, now);
            }
        }
    }

    /// <summary>The asset left the area: its pairs are over.</summary>
    public void Remove(string assetId, DateTimeOffset now)
    {
        _spots.Remove(assetId);
        foreach (var (key, alertId) in state.OpenPairs.ToList())
        {
            var (a, b) = Split(key);
            if (a == assetId || b == assetId)
            {
                Close(key, alertId, now);
            }
        }
    }

    private void Close(string key, string alertId, DateTimeOffset now)
    {
        state.OpenPairs.Remove(key);
        state.Outbox.Add(AlertSignal.Cleared(alertId, now));
    }

    private static (string A, string B) Ordered(string x, string y) => string.CompareOrdinal(x, y) <= 0 ? (x, y) : (y, x);

    private static string PairKey(string x, string y)
    {
        var (a, b) = Ordered(x, y);
        return a + "|" + b;
    }

    private static (string A, string B) Split(string key)
    {
        var bar = key.IndexOf('|', StringComparison.Ordinal);
        return (key[..bar], key[(bar + 1)..]);
    }

    private readonly record struct Spot(DateTimeOffset Ts, double X, double Y, bool Working);
}
