using CmacLive.Alerts;
using CmacLive.Assets;
using CmacLive.Detections;
using CmacLive.Devices;
using CmacLive.Geo;
using CmacLive.HazardAreas;
using NetTopologySuite.Geometries;

namespace CmacLive.Grains.Tests;

/// <summary>
/// A piece of ground for one test, laid out in metres of UTM zone 48N (Cambodia) so that distances and
/// areas are known exactly: each scene gets its own 10 km square, so tests sharing the cluster never see
/// each other's areas. Assets and devices get ids of their own.
/// </summary>
public sealed class FieldScene(ClusterFixture fixture)
{
    private static readonly MetricProjection Zone48 = new(48, true);
    private static int s_scenes;

    private readonly (double East, double North) _origin = Square(Interlocked.Increment(ref s_scenes));
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];

    public IGrainFactory Grains => fixture.Grains;

    /// <summary>Scenes lie on a 20 × 20 grid of 10 km squares: 400 scenes before a square is used again.</summary>
    private static (double East, double North) Square(int scene) =>
        (420_000 + (10_000 * (scene % 20)), 1_400_000 + (10_000 * (scene / 20 % 20)));

    public DateTimeOffset Now => fixture.Time.GetUtcNow();

    /// <summary>WGS84 (lat, lon) of the point (x, y) metres from the scene's origin.</summary>
    public (double Lat, double Lon) At(double x, double y)
    {
        var point = Zone48.ToWgs84(new GeometryFactory().CreatePoint(new Coordinate(_origin.East + x, _origin.North + y)));
        return (point.Coordinate.Y, point.Coordinate.X);
    }

    /// <summary>Defines a rectangular area <paramref name="width"/> × <paramref name="height"/> m with its south-west corner at (x, y).</summary>
    public async Task<string> AreaAsync(double x, double y, double width, double height, HazardAreaType type = HazardAreaType.Cha, string unit = "DU5", string? project = null)
    {
        var code = $"BS/{type.ToString().ToUpperInvariant()}/T/{_tag}{Guid.NewGuid():N}"[..28];
        var metres = new GeometryFactory().CreatePolygon(
        [
            new Coordinate(_origin.East + x, _origin.North + y), new Coordinate(_origin.East + x + width, _origin.North + y),
            new Coordinate(_origin.East + x + width, _origin.North + y + height), new Coordinate(_origin.East + x, _origin.North + y + height),
            new Coordinate(_origin.East + x, _origin.North + y),
        ]);
        var polygon = Zone48.ToWgs84(metres);
        await Grains.GetGrain<IHazardAreaGrain>(code).Define(new HazardAreaDefinition
        {
            Code = code,
            Type = type,
            GeometryWkb = HazardAreaGeometry.ToWkb(polygon),
            AreaM2 = MetricProjection.AreaM2(polygon),
            Unit = unit,
            Project = project,
        }, "test");
        return code;
    }

    public async Task<Tracked> AssetAsync(AssetKind kind = AssetKind.Team, string unit = "DU5", IReadOnlyList<string>? capabilities = null)
    {
        var assetId = $"{unit}-{kind}-{_tag}{Guid.NewGuid():N}"[..24];
        var deviceId = $"trk-{Guid.NewGuid():N}"[..16];
        await Grains.GetGrain<IAssetRegistrationGrain>(assetId).Register(new AssetProfile { Kind = kind, Name = assetId, Unit = unit, Capabilities = capabilities ?? [] });
        var device = Grains.GetGrain<IDeviceGrain>(deviceId);
        await device.Provision(new DeviceProvision
        {
            Asset = new AssetRef { Id = assetId, Kind = kind },
            Kind = DeviceKind.Tracker,
            SecretHash = DeviceSecret.Hash("device-secret"),
        });
        return new Tracked(this, assetId, kind, device);
    }

    /// <summary>An EOD-capable team of <paramref name="unit"/>.</summary>
    public Task<Tracked> EodTeamAsync(string unit = "DU5") => AssetAsync(AssetKind.Team, unit, ["eod", "manual"]);

    /// <summary>
    /// The area's view once <paramref name="done"/> holds: an asset hands its work points to its area after it answers
    /// the fix, so the area's searched ground follows shortly after.
    /// </summary>
    public Task<HazardAreaView> AreaViewAsync(string code, Func<HazardAreaView, bool> done) =>
        fixture.EventuallyAsync(async () => (await Grains.GetGrain<IHazardAreaGrain>(code).GetView())!, done, $"area {code}");

    /// <summary>The alerts of <paramref name="kind"/> about <paramref name="subject"/> once <paramref name="done"/> holds.</summary>
    public Task<List<Alert>> AlertsAsync(string kind, string subject, Func<List<Alert>, bool> done) =>
        fixture.EventuallyAsync(() => AlertsAsync(kind, subject), done, $"{kind} alerts of {subject}");

    public async Task<List<Alert>> AlertsAsync(string kind, string subject, bool openOnly = false) =>
        [.. (await Grains.GetGrain<IAlertLedgerGrain>(0).List(openOnly)).Where(a => a.Kind == kind && a.Id.Contains(subject, StringComparison.Ordinal))];

    /// <summary>One tracked asset of the scene and its device.</summary>
    public sealed class Tracked(FieldScene scene, string id, AssetKind kind, IDeviceGrain device)
    {
        public string Id { get; } = id;

        public IAssetGrain Grain => AssetGrains.Get(scene.Grains, kind, Id);

        public Task<ReportOutcome> FixAsync(double x, double y, DateTimeOffset ts, double acc = 3)
        {
            var (lat, lon) = scene.At(x, y);
            return device.ProcessFix(new FixReport { DeviceId = device.GetPrimaryKeyString(), Ts = ts, Lat = lat, Lon = lon, Acc = acc });
        }

        public IDeviceGrain Device => device;

        public string DeviceId => device.GetPrimaryKeyString();

        public Task<ReportOutcome> DetectAsync(double x, double y, DateTimeOffset ts, DetectionSensor sensor = DetectionSensor.Metal)
        {
            var (lat, lon) = scene.At(x, y);
            return device.ProcessDetection(new DetectionReport { DeviceId = DeviceId, Ts = ts, Lat = lat, Lon = lon, Sensor = sensor, DepthCm = 12 });
        }

        public Task<ReportOutcome> FindAsync(string detectionId, DateTimeOffset ts, FindDetails? find) =>
            device.ProcessFind(new FindReport { DeviceId = DeviceId, Ts = ts, DetectionId = detectionId, Find = find });

        public Task<ReportOutcome> StateAsync(AssetState state, DateTimeOffset ts) =>
            device.ProcessStatus(new StatusReport { DeviceId = device.GetPrimaryKeyString(), Ts = ts, State = state });

        public async Task<AssetStatus> StatusAsync() => (await Grain.GetStatus())!;

        public async Task AssignAsync(string code) => await Grain.AssignTask(code);

        public Task<ReportOutcome> AckAsync(string requestId, DateTimeOffset ts) =>
            device.ProcessAck(new AckReport { DeviceId = DeviceId, Ts = ts, RequestId = requestId });
    }
}
