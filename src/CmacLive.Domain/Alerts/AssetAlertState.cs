namespace CmacLive.Alerts;

/// <summary>
/// What an asset's safety rules remember: the ids of its open episodes, recent area sightings for the
/// entry dwell, its animal work/rest clock, and signals not yet delivered to the ledger. Bounded.
/// </summary>
[GenerateSerializer, Alias("cmac.AssetAlertState")]
public sealed class AssetAlertState
{
    [Id(0)] public string? Sos { get; set; }
    [Id(1)] public string? Entry { get; set; }
    [Id(2)] public string? EntryArea { get; set; }
    [Id(3)] public string? Stale { get; set; }
    [Id(4)] public string? WorkPeriod { get; set; }
    [Id(5)] public List<AreaSighting> Sightings { get; set; } = [];
    [Id(6)] public DateTimeOffset? WorkSince { get; set; }
    [Id(7)] public DateTimeOffset? RestSince { get; set; }

    /// <summary>Signals raised or cleared but not yet taken by the ledger; sent again until they are.</summary>
    [Id(8)] public List<AlertSignal> Outbox { get; set; } = [];

    /// <summary>
    /// The episode start (device time) of the last entry alert raised, kept after it clears: an entry raised again from the
    /// same sightings (the asset assigned to the area, then taken off it) is a new episode with a later id, not one the
    /// ledger already holds.
    /// </summary>
    [Id(9)] public DateTimeOffset? EntryEpisode { get; set; }

    /// <summary>The device time the open SOS episode began (its alert's id says the same), or null.</summary>
    [Id(10)] public DateTimeOffset? SosSince { get; set; }
}
