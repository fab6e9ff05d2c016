using System.Diagnostics;
using System.Globalization;
using CmacLive.Clearance;
using CmacLive.Geo;
using NetTopologySuite.Geometries;

namespace CmacLive.Benchmarks;

/// <summary>
/// Clearance progress over a working day: several deminers walk lanes through one 200 m × 100 m area at
/// 1 fix a second with GPS noise. Reports the cost per fix, and each hour the size and cost of the stored
/// footprint (what the area's grain writes) and of drawing the searched polygon, so that "incremental"
/// is a measured claim.
/// </summary>
public static class FootprintBenchmark
{
    public static int Run(string[] args)
    {
        var assets = 10;
        var hours = 8.0;
        var noise = 1.5;
        for (var i = 0; i < args.Length - 1; i += 2)
        {
            switch (args[i])
            {
                case "--assets": assets = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--hours": hours = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--noise": noise = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: return Benchmarks.Fail();
            }
        }

        var zone = new MetricProjection(48, true);
        const double east = 250_000, north = 1_430_000, width = 200, height = 100;
        var area = zone.ToWgs84(new GeometryFactory().CreatePolygon(
        [
            new Coordinate(east, north), new Coordinate(east + width, north), new Coordinate(east + width, north + height),
            new Coordinate(east, north + height), new Coordinate(east, north),
        ]));
        var footprint = new SearchedFootprint(area, new ClearanceRules());
        var random = new Random(42);
        var start = new DateTimeOffset(2026, 5, 12, 1, 0, 0, TimeSpan.Zero);
        var seconds = (int)(hours * 3600);
        var strip = height / assets;
        var addTicks = 0L;
        var checkpoints = new List<string>();
        for (var s = 0; s < seconds; s++)
        {
            var t = start.AddSeconds(s);
            for (var a = 0; a < assets; a++)
            {
                // Each deminer works its own strip in 1 m lanes at 0.1 m/s, back and forth.
                var travelled = s * 0.1;
                var lane = (int)(travelled / width);
                var along = travelled % width;
                var x = lane % 2 == 0 ? along : width - along;
                var y = (a * strip) + 0.5 + (lane % (int)strip);
                var wgs84 = zone.ToWgs84(new GeometryFactory().CreatePoint(new Coordinate(
                    east + x + (noise * (random.NextDouble() - 0.5)), north + y + (noise * (random.NextDouble() - 0.5)))));
                var began = Stopwatch.GetTimestamp();
                footprint.Add(new WorkPoint($"T{a}", 1, t, wgs84.Coordinate.Y, wgs84.Coordinate.X, 3, 1));
                addTicks += Stopwatch.GetTimestamp() - began;
            }

            if ((s + 1) % 3600 == 0)
            {
                var snapshot = Stopwatch.GetTimestamp();
                var state = footprint.Snapshot();
                var stored = Stopwatch.GetElapsedTime(snapshot).TotalMilliseconds;
                var draw = Stopwatch.GetTimestamp();
                var vertices = footprint.SearchedWgs84().NumPoints;
                var drawn = Stopwatch.GetElapsedTime(draw).TotalMilliseconds;
                checkpoints.Add(string.Create(CultureInfo.InvariantCulture,
                    $"  after {(s + 1) / 3600} h: searched {footprint.SearchedM2:0} m² ({100 * footprint.SearchedM2 / (width * height):0.0} %); stored footprint {state.Cells!.Length / 1024.0:0.0} KiB in {stored:0.0} ms; polygon {vertices} vertices drawn in {drawn:0} ms"));
            }
        }

        var fixes = (long)seconds * assets;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            footprint: {assets} assets, {hours:0.#} h at 1 fix/s, GPS noise ±{noise / 2:0.##} m, 10 cm cells
              {fixes} fixes: {Stopwatch.GetElapsedTime(0, addTicks).TotalMicroseconds / fixes:0.0} µs per fix added
            {string.Join('\n', checkpoints)}
              {Benchmarks.Hardware()}
            """));
        return 0;
    }
}
