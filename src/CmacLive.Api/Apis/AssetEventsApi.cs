using System.Text.Json;
using CmacLive.Api.Auth;
using CmacLive.Api.Http;
using CmacLive.History;
using CmacLive.Tracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

/// <summary><c>GET /api/assets/{id}/events?from=&amp;to=</c>: what happened to an asset, from history.</summary>
public static class AssetEventsApi
{
    /// <summary>The longest period one request may ask for.</summary>
    public static readonly TimeSpan MaxPeriod = TimeSpan.FromDays(31);

    // The history kinds read, and the status reports the state changes come from.
    private static readonly string[] Kinds = [Movements.Left, Movements.Entered, Movements.Online, Movements.Offline, Movements.Alert];
    private const string StatusKind = "status";

    public static RouteGroupBuilder MapAssetEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/assets/{id}/events", GetEvents).RequireAuthorization(Policies.Read).WithTags("Assets").WithName("GetAssetEvents")
            .WithSummary("An asset's events: entering and leaving hazard areas, state changes, online and offline, its alerts")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary>
    /// The asset's events in <c>[from, to)</c> (ISO-8601; by default the last 24 hours, at most 31 days), oldest first:
    /// <c>entered</c>/<c>left</c> a hazard area (after the entry dwell, at the time the crossing began), <c>state</c> (a
    /// change of working state, from its status reports), <c>online</c>/<c>offline</c>, and <c>alert</c> (raised by the
    /// asset's own rules: SOS, unassigned entry, stale, an animal's work period).
    /// </summary>
    public static async Task<Results<Ok<List<AssetEventView>>, ValidationProblem, ProblemHttpResult>> GetEvents(
        string id, string? from, string? to, IGrainFactory grains, IHistoryStore history, TimeProvider time, ApiOptions options, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var (start, end) = TimeRange.Read(from, to, time.GetUtcNow(), TimeSpan.FromHours(24), MaxPeriod, errors);
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        if (await AssetsApi.FindAsync(grains, id) is null)
        {
            return Problems.NoSuch("asset", id);
        }

        var most = options.MaxAssetEvents;
        List<AssetEventView> events = [];
        foreach (var kind in Kinds)
        {
            foreach (var stored in await history.ReadEventsAsync(id, kind, start, end, most + 1, cancellationToken))
            {
                events.Add(View(kind, stored));
            }

            if (events.Count > most)
            {
                return TooMany(most);
            }
        }

        // Every status report is stored, most say the state again: more reports than the limit cannot be judged whole.
        var statuses = await history.ReadEventsAsync(id, StatusKind, start, end, most + 1, cancellationToken);
        if (statuses.Count > most)
        {
            return TooMany(most);
        }

        string? state = null;
        foreach (var status in statuses)
        {
            // Only changes: a status saying the state again is not an event.
            var said = Text(status.Payload, "state");
            if (said is not null && said != state)
            {
                events.Add(new AssetEventView(status.Ts, "state", null, said));
                state = said;
            }
        }

        if (events.Count > most)
        {
            return TooMany(most);
        }

        // Stable: at one time, leaving comes before entering (each kind was read oldest first, leaving before entering).
        return TypedResults.Ok(events.OrderBy(e => e.At).ToList());
    }

    private static ValidationProblem TooMany(int most) => Problems.Field("from", $"the period holds more than {most} events; narrow it");

    private static AssetEventView View(string kind, HistoryEvent stored) => kind switch
    {
        Movements.Entered or Movements.Left => new AssetEventView(stored.Ts, kind, Text(stored.Payload, "hazardArea"), null),
        Movements.Alert => new AssetEventView(stored.Ts, kind, Text(stored.Payload, "hazardArea"), Text(stored.Payload, "message")),
        _ => new AssetEventView(stored.Ts, kind, null, null),
    };

    /// <summary>One string of a stored payload, or null (history written by this silo: a payload that is not as expected says nothing).</summary>
    private static string? Text(string payload, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(payload);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value)
                && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// One event: when (device time; for <c>offline</c>, when it was judged), its kind, the hazard area it concerns, and a
    /// detail (the state for <c>state</c>, the message for <c>alert</c>).
    /// </summary>
    public sealed record AssetEventView(DateTimeOffset At, string Kind, string? HazardArea, string? Detail);
}
