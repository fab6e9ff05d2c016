using System.Text.Json;
using CmacLive.Detections;
using CmacLive.History;
using Microsoft.Extensions.Logging;

namespace CmacLive.Assets;

/// <summary>
/// What an asset's devices report from the ground besides where they are: detections (recorded as detection grains) and
/// the team's decisions on them (a find, or clutter; in the audit trail under the device). Each is in history before
/// anything else. One per activation, owned by its <see cref="AssetGrain"/>.
/// </summary>
internal sealed partial class FieldReports(string assetId, IGrainFactory grains, AssetGrainServices services)
{
    private readonly ILogger _logger = services.Loggers.CreateLogger<FieldReports>();

    private DateTimeOffset Now => services.Time.GetUtcNow();

    /// <summary>Stores the detection in history and records it (a repeat is the same detection: same device and time).</summary>
    public async Task DetectedAsync(DetectionReport detection, string unit)
    {
        var payload = JsonSerializer.Serialize(new
        {
            lat = detection.Lat,
            lon = detection.Lon,
            sensor = WireNames.Of(detection.Sensor),
            strength = detection.Strength,
            depthCm = detection.DepthCm,
        });
        await services.History.AppendAsync(new EventRecord(assetId, detection.DeviceId, "detection", detection.Ts, payload, Now));

        var detectionId = DetectionIds.For(detection.DeviceId, detection.Ts);
        await grains.GetGrain<IDetectionGrain>(detectionId).Record(new Detection
        {
            Id = detectionId,
            AssetId = assetId,
            DeviceId = detection.DeviceId,
            Unit = unit,
            HazardArea = services.Areas.Locate(detection.Lat, detection.Lon),
            Ts = detection.Ts,
            Lat = detection.Lat,
            Lon = detection.Lon,
            Sensor = detection.Sensor,
            Strength = detection.Strength,
            DepthCm = detection.DepthCm,
        });
    }

    /// <summary>Stores the decision in history and hands it to its detection; answers whether the detection took it.</summary>
    public async Task<ReportOutcome> DecidedAsync(FindReport report, string? taskArea)
    {
        var payload = JsonSerializer.Serialize(new
        {
            detectionId = report.DetectionId,
            clutter = report.Find is null,
            category = report.Find is { } f ? WireNames.Of(f.Category) : null,
            model = report.Find?.Model,
            depthCm = report.Find?.DepthCm,
            disposal = report.Find?.Disposal.ToString(),
            note = report.Note,
        });
        await services.History.AppendAsync(new EventRecord(assetId, report.DeviceId, "find", report.Ts, payload, Now));
        try
        {
            var decided = await grains.GetGrain<IDetectionGrain>(report.DetectionId).Decide(new DetectionDecision
            {
                Find = report.Find,
                By = $"{assetId} (device {report.DeviceId})",
                At = report.Ts,
                Note = report.Note,
                FieldAssetId = assetId,
                FieldTaskArea = taskArea,
            });
            if (decided is null)
            {
                LogUnknownDetection(assetId, report.DetectionId);
                return ReportOutcome.Refused;
            }

            // A decision from the field is a change like any other: in the audit trail, under the device.
            await services.Audit.AppendAsync(new CmacLive.Audit.AuditEntry
            {
                At = Now,
                User = $"device:{report.DeviceId}",
                Action = report.Find is null ? "detection.clutter" : "detection.confirm",
                Target = $"detection:{report.DetectionId}",
                Detail = payload,
            }, CancellationToken.None);
            return ReportOutcome.Applied;
        }
        catch (DetectionConflictException ex)
        {
            LogFindRefused(assetId, report.DetectionId, ex.Message);
            return ReportOutcome.Refused;
        }
        catch (DetectionForbiddenException ex)
        {
            LogFindForbidden(assetId, report.DetectionId, ex.Message);
            return ReportOutcome.Forbidden;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId} reported a find for unknown detection {DetectionId}")]
    private partial void LogUnknownDetection(string assetId, string detectionId);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: find for detection {DetectionId} refused: {Reason}")]
    private partial void LogFindRefused(string assetId, string detectionId, string reason);

    [LoggerMessage(LogLevel.Warning, "Asset {AssetId}: find for detection {DetectionId} forbidden: {Reason}")]
    private partial void LogFindForbidden(string assetId, string detectionId, string reason);
}
