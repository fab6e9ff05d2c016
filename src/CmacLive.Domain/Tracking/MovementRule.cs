namespace CmacLive.Tracking;

/// <summary>
/// Entering and leaving hazard areas, with a dwell: an asset counts as inside an area only once its fixes have said so for
/// <c>dwell</c>, and as outside only once they have said outside for as long, so GPS jitter at an edge never produces a
/// movement. A movement's time is when its crossing began (the first fix of the new side); a late fix (not newer than the
/// newest applied) changes nothing. Going from one area straight into another is leaving the first, then entering the second.
/// Pure: the fix's area comes in.
/// </summary>
public sealed class MovementRule(AreaPresence presence, TimeSpan dwell)
{
    /// <summary>A fix taken at <paramref name="ts"/> (device time) placed the asset in <paramref name="area"/> (null: none).</summary>
    /// <returns>The movements it confirmed, in order: none, one, or <c>left</c> then <c>entered</c>.</returns>
    public IReadOnlyList<Movement> OnFix(DateTimeOffset ts, string? area)
    {
        if (presence.NewestTs is { } newest && ts <= newest)
        {
            return [];
        }

        presence.NewestTs = ts;
        if (area == presence.Inside)
        {
            // Back on the side it counts as on: whatever crossing was under way was jitter.
            presence.Crossing = null;
            presence.CrossingSince = null;
            return [];
        }

        if (presence.CrossingSince is null || presence.Crossing != area)
        {
            presence.Crossing = area;
            presence.CrossingSince = ts;
        }

        var since = presence.CrossingSince.Value;
        if (ts - since < dwell)
        {
            return [];
        }

        var left = presence.Inside;
        presence.Inside = area;
        presence.Crossing = null;
        presence.CrossingSince = null;
        return (left, area) switch
        {
            (null, { } entered) => [new Movement(MovementKind.Entered, entered, since)],
            ({ } was, null) => [new Movement(MovementKind.Left, was, since)],
            ({ } was, { } entered) => [new Movement(MovementKind.Left, was, since), new Movement(MovementKind.Entered, entered, since)],
            _ => [],
        };
    }
}
