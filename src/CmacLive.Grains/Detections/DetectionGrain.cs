using System.Globalization;
using CmacLive.Alerts;
using CmacLive.HazardAreas;
using CmacLive.Reports;
using CmacLive.Storage;
using Microsoft.Extensions.Logging;

namespace CmacLive.Detections;

/// <summary>
/// One detection and the decision on it. Storing comes first; the area's index and the quality alert
/// follow and are idempotent, so a report sent again (after a failure) completes whatever was missed.
/// </summary>
public sealed partial class DetectionGrain(
    [PersistentState("detection", StorageNames.Main)] IPersistentState<DetectionState> store,
    ReportDays days,
    ILogger<DetectionGrain> logger) : Grain, IDetectionGrain
{
    public async Task<Detection> Record(Detection detection)
    {
        var stored = store.State.Detection;
        HazardAreaView? area = null;
        if (stored is null)
        {
            if (detection.HazardArea is { } code)
            {
                area = await GrainFactory.GetGrain<IHazardAreaGrain>(code).GetView();
            }

            stored = detection with { Id = this.GetPrimaryKeyString(), Project = area?.Project, Status = DetectionStatus.Open, Find = null };
            store.State.Detection = stored;
            await store.WriteStateAsync();
        }
        else if (stored.HazardArea is { } code)
        {
            area = await GrainFactory.GetGrain<IHazardAreaGrain>(code).GetView();
        }

        await IndexOf(stored).Upsert(stored);
        if (area?.Status == HazardAreaStatus.Released)
        {
            await FlagReleasedAreaAsync(stored);
        }

        return stored;
    }

    public async Task<Detection?> Decide(DetectionDecision decision)
    {
        if (store.State.Detection is not { } detection)
        {
            return null;
        }

        if (decision.FieldAssetId is { } fieldAsset && !DetectionOwnership.MayDecide(detection, fieldAsset, decision.FieldTaskArea))
        {
            throw new DetectionForbiddenException(
                $"detection '{detection.Id}' is {detection.AssetId}'s{(detection.HazardArea is { } area ? $" in {area}" : "")}, not {fieldAsset}'s nor in its task area");
        }

        var status = decision.Find is null ? DetectionStatus.Clutter : DetectionStatus.Find;
        if (detection.Status != DetectionStatus.Open)
        {
            if (detection.Status == status && detection.Find == decision.Find)
            {
                // The same decision again (a retry after a lost answer): whatever it did not finish, it finishes.
                await IndexOf(detection).Upsert(detection);
                await CreditFindAsync(detection);
                return detection;
            }

            throw new DetectionConflictException(
                $"detection '{detection.Id}' was already decided as {Describe(detection)} by {detection.DecidedBy}");
        }

        detection = detection with
        {
            Status = status,
            Find = decision.Find,
            DecidedBy = decision.By,
            OnBehalfOf = decision.OnBehalfOf,
            DecidedAt = decision.At,
            Note = decision.Note,
        };
        store.State.Detection = detection;
        await store.WriteStateAsync();
        LogDecided(detection.Id, detection.HazardArea ?? "no area", Describe(detection), decision.By);
        await IndexOf(detection).Upsert(detection);
        await CreditFindAsync(detection);
        return detection;
    }

    /// <summary>A confirmed find counts on the day it was decided (for its unit and its area), under its own id: crediting it again never counts it twice.</summary>
    private async Task CreditFindAsync(Detection detection)
    {
        if (detection.Find is not { } find || detection.DecidedAt is not { } at)
        {
            return;
        }

        var day = days.DayOf(at);
        var figures = new DayFigures { Finds = new Dictionary<string, int> { [WireNames.Of(find.Category)] = 1 } };
        await UnitFigures.Of(GrainFactory, detection.Unit, day).Set(day, UnitFigures.Find(detection.Id), figures);
        if (detection.HazardArea is { } area)
        {
            // The area's own figures too: the find counts for the project the area names when it is read.
            await UnitFigures.OfArea(GrainFactory, area, day).Set(day, UnitFigures.Find(detection.Id), figures);
        }
    }

    public Task<Detection?> Get() => Task.FromResult(store.State.Detection);

    private IDetectionIndexGrain IndexOf(Detection detection) =>
        GrainFactory.GetGrain<IDetectionIndexGrain>(detection.HazardArea ?? IDetectionIndexGrain.Outside);

    /// <summary>A detection in released land: the release may have missed something. A quality flag, open until acknowledged.</summary>
    private Task FlagReleasedAreaAsync(Detection detection)
    {
        var id = AlertIds.For(AlertKinds.DetectionInReleasedArea, detection.Id, detection.Ts);
        var alert = new Alert
        {
            Id = id,
            Kind = AlertKinds.DetectionInReleasedArea,
            Severity = AlertSeverity.Warning,
            AssetId = detection.AssetId,
            HazardArea = detection.HazardArea,
            Unit = detection.Unit,
            Message = string.Create(CultureInfo.InvariantCulture,
                $"{detection.Sensor} detection {detection.Id} by {detection.AssetId} inside released area {detection.HazardArea} at {detection.Lat:0.000000}, {detection.Lon:0.000000}"),
            RaisedAt = detection.Ts,
        };
        return GrainFactory.GetGrain<IAlertLedgerGrain>(0).Apply([AlertSignal.Raise(alert), AlertSignal.Cleared(id, detection.Ts)]);
    }

    private static string Describe(Detection detection) => detection.Status switch
    {
        DetectionStatus.Find => $"a find ({detection.Find!.Category})",
        _ => WireNames.Of(detection.Status),
    };

    [LoggerMessage(LogLevel.Information, "Detection {DetectionId} in {Area} decided as {Decision} by {By}")]
    private partial void LogDecided(string detectionId, string area, string decision, string by);
}
