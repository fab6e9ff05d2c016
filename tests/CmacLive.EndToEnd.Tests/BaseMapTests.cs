using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// The offline base map over HTTP (<c>Dashboard:Tiles</c>): silo processes serving MBTiles files made for the run, asked
/// as a map asks (anonymous, XYZ rows), and silos given a file that is missing or is no MBTiles; and the dashboard in a
/// real headless Chromium, zoomed to Samlot, asking its silo for the tiles and drawing them (raster pictures, vector tiles
/// on canvas), showing the file's attribution as text, and asking nothing of any host but the silo's.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class BaseMapTests(SiloFixture shared, BaseMapFixture maps, BrowserFixture browser) : IClassFixture<BaseMapFixture>, IClassFixture<BrowserFixture>
{
    /// <summary>The water colour of the dashboard's vector style (app/basemap-layer.js), as canvas pixels: #aad3df.</summary>
    private static readonly int[] Water = [0xAA, 0xD3, 0xDF];

    [Fact]
    public async Task A_raster_tile_comes_from_the_flipped_mbtiles_row_with_its_type_an_etag_and_public_caching_and_its_etag_answers_304()
    {
        using var map = maps.Raster.ClientWith(null);
        var before = await StatsAsync(maps.Raster);
        var (x, y) = TestTileSet.Samlot(14);

        using var tile = await map.GetAsync($"/tiles/14/{x}/{y}");
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal("image/png", tile.Content.Headers.ContentType?.MediaType);
        var body = await tile.Content.ReadAsByteArrayAsync();
        Assert.Equal(maps.RasterSet.At(14, x, y), body); // stored at TMS row 2^14 - 1 - y
        Assert.NotEqual(maps.RasterSet.Stored[(14, x, y)], body); // not the decoy at the unflipped row
        Assert.Equal(TestPng.Size, PngWidth(body));
        Assert.Empty(tile.Content.Headers.ContentEncoding);
        Assert.True(tile.Headers.CacheControl is { Public: true, MaxAge.TotalSeconds: 86400 }, $"Cache-Control: {tile.Headers.CacheControl}");
        var etag = tile.Headers.ETag ?? throw new InvalidOperationException("no ETag");
        Assert.False(etag.IsWeak);

        // The same tile with an extension, and again with its ETag: 304, no body.
        using var named = await map.GetAsync($"/tiles/14/{x}/{y}.png");
        Assert.Equal(body, await named.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, named.Headers.ETag);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/tiles/14/{x}/{y}");
        again.Headers.IfNoneMatch.Add(etag);
        using var unchanged = await map.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, unchanged.Headers.ETag);

        // Another tile has another ETag, so the old one does not stand for it.
        using var neighbour = new HttpRequestMessage(HttpMethod.Get, $"/tiles/13/{TestTileSet.Samlot(13).X}/{TestTileSet.Samlot(13).Y}");
        neighbour.Headers.IfNoneMatch.Add(etag);
        using var other = await map.SendAsync(neighbour);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.NotEqual(etag, other.Headers.ETag);

        var after = await StatsAsync(maps.Raster);
        Assert.Equal(before.Served + 3, after.Served);
        Assert.Equal(before.NotModified + 1, after.NotModified);

        // What a tile costs, one request after another over one connection (printed, not asserted: a shared machine).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        const int rounds = 50;
        for (var i = 0; i < rounds; i++)
        {
            foreach (var (dx, dy) in new[] { (-1, -1), (0, -1), (1, -1), (-1, 0), (0, 0), (1, 0), (-1, 1), (0, 1), (1, 1) })
            {
                using var timed = await map.GetAsync($"/tiles/14/{x + dx}/{y + dy}");
                Assert.Equal(HttpStatusCode.OK, timed.StatusCode);
            }
        }

        Console.WriteLine($"raster tiles served: {watch.Elapsed.TotalMilliseconds / (rounds * 9):0.00} ms a tile over {rounds * 9} requests");
    }

    [Fact]
    public async Task A_vector_tile_is_served_as_stored_with_its_content_encoding_and_inflated_for_a_client_that_does_not_accept_it()
    {
        using var map = maps.Vector.ClientWith(null);
        var (x, y) = TestTileSet.Samlot(13);
        var water = TestVectorTile.FullSquare(TestTileSet.WaterLayer);

        using var gzipped = new HttpRequestMessage(HttpMethod.Get, $"/tiles/13/{x}/{y}.pbf");
        gzipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var tile = await map.SendAsync(gzipped);
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        Assert.Equal("application/vnd.mapbox-vector-tile", tile.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["gzip"], tile.Content.Headers.ContentEncoding);
        Assert.Contains("Accept-Encoding", tile.Headers.Vary);
        var body = await tile.Content.ReadAsByteArrayAsync();
        Assert.Equal(maps.VectorSet.At(13, x, y), body);
        Assert.Equal(water, Inflate(new GZipStream(new MemoryStream(body), CompressionMode.Decompress)));

        // A client that does not say it takes gzip gets the tile itself, under another ETag.
        using var plain = await map.GetAsync($"/tiles/13/{x}/{y}");
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(water, await plain.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(tile.Headers.ETag, plain.Headers.ETag);

        // Samlot's zoom-10 tile is zlib-deflated, as MBTiles 1.3 words it: HTTP's deflate.
        var (x10, y10) = TestTileSet.Samlot(10);
        using var deflated = new HttpRequestMessage(HttpMethod.Get, $"/tiles/10/{x10}/{y10}");
        deflated.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        deflated.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("deflate"));
        using var zlib = await map.SendAsync(deflated);
        Assert.Equal(["deflate"], zlib.Content.Headers.ContentEncoding);
        Assert.Equal(water, Inflate(new ZLibStream(new MemoryStream(await zlib.Content.ReadAsByteArrayAsync()), CompressionMode.Decompress)));
        using var gzipOnly = new HttpRequestMessage(HttpMethod.Get, $"/tiles/10/{x10}/{y10}");
        gzipOnly.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var inflated = await map.SendAsync(gzipOnly);
        Assert.Empty(inflated.Content.Headers.ContentEncoding);
        Assert.Equal(water, await inflated.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Where_the_set_has_no_tile_the_answer_is_204_with_no_body_so_a_map_draws_nothing_there_without_an_error()
    {
        using var map = maps.Raster.ClientWith(null);
        var before = await StatsAsync(maps.Raster);
        var (x, y) = TestTileSet.Samlot(14);
        foreach (var path in new[] { $"/tiles/14/{x + 5}/{y}", $"/tiles/15/{2 * x}/{2 * y}", $"/tiles/9/{x >> 5}/{y >> 5}", "/tiles/0/0/0" })
        {
            using var missing = await map.GetAsync(path);
            Assert.Equal(HttpStatusCode.NoContent, missing.StatusCode);
            Assert.Empty(await missing.Content.ReadAsByteArrayAsync());
            Assert.True(missing.Headers.CacheControl is { Public: true }, path);
        }

        Assert.Equal(before.Missing + 4, (await StatsAsync(maps.Raster)).Missing);
    }

    [Theory]
    [InlineData("abc", "1", "1", "z")]
    [InlineData("-1", "0", "0", "z")]
    [InlineData("31", "0", "0", "z")]
    [InlineData("99999999999", "0", "0", "z")]
    [InlineData("1e1", "0", "0", "z")]
    [InlineData("10", "1024", "0", "x")]
    [InlineData("10", "-3", "0", "x")]
    [InlineData("10", "0x1", "0", "x")]
    [InlineData("10", "%20 5", "0", "x")]
    [InlineData("10", "0", "1024", "y")]
    [InlineData("10", "0", "5.gif", "y")]
    [InlineData("10", "0", "5.png.png", "y")]
    [InlineData("0", "1", "0", "x")]
    public async Task Coordinates_that_are_no_tile_are_refused_with_a_problem_naming_the_field(string z, string x, string y, string field)
    {
        using var map = maps.Raster.ClientWith(null);
        var before = await StatsAsync(maps.Raster);
        using var refused = await map.GetAsync($"/tiles/{z}/{x}/{y}");
        var problem = await refused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(problem);
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem);
        Assert.Equal(before.Refused + 1, (await StatsAsync(maps.Raster)).Refused);
    }

    [Fact]
    public async Task The_tilejson_document_and_the_dashboard_config_describe_the_set_and_its_attribution_is_plain_text_for_the_page()
    {
        foreach (var (silo, set, format) in new[] { (maps.Raster, maps.RasterSet, "png"), (maps.Vector, maps.VectorSet, "pbf") })
        {
            using var anonymous = silo.ClientWith(null);
            using var document = JsonDocument.Parse(await anonymous.GetStringAsync("/tiles.json"));
            var tilejson = document.RootElement;
            Assert.Equal("3.0.0", tilejson.GetProperty("tilejson").GetString());
            Assert.Equal($"{silo.BaseAddress.ToString().TrimEnd('/')}/tiles/{{z}}/{{x}}/{{y}}", tilejson.GetProperty("tiles")[0].GetString());
            Assert.Equal("xyz", tilejson.GetProperty("scheme").GetString());
            Assert.Equal(TestTileSet.MinZoom, tilejson.GetProperty("minzoom").GetInt32());
            Assert.Equal(TestTileSet.MaxZoom, tilejson.GetProperty("maxzoom").GetInt32());
            Assert.Equal(format, tilejson.GetProperty("format").GetString());
            Assert.Equal(TestTileSet.Attribution, tilejson.GetProperty("attribution").GetString());
            var bounds = tilejson.GetProperty("bounds").EnumerateArray().Select(b => b.GetDouble()).ToArray();
            Assert.True(bounds[0] < TestTileSet.SamlotLon && TestTileSet.SamlotLon < bounds[2] && bounds[1] < TestTileSet.SamlotLat && TestTileSet.SamlotLat < bounds[3]);
            Assert.Equal(set.Vector, tilejson.TryGetProperty("vector_layers", out var layers));
            if (set.Vector)
            {
                Assert.Equal(TestTileSet.WaterLayer, layers[0].GetProperty("id").GetString());
            }

            var config = await silo.Http.GetFromJsonAsync<JsonElement>("/api/dashboard/config");
            var baseMap = config.GetProperty("baseMap");
            Assert.Equal("/tiles/{z}/{x}/{y}", baseMap.GetProperty("url").GetString());
            Assert.Equal(set.Vector, baseMap.GetProperty("vector").GetBoolean());
            Assert.Equal(TestTileSet.MinZoom, baseMap.GetProperty("minZoom").GetInt32());
            Assert.Equal(TestTileSet.MaxZoom, baseMap.GetProperty("maxZoom").GetInt32());
            Assert.Equal("© OpenStreetMap contributors", baseMap.GetProperty("attribution").GetString());
            Assert.Equal(JsonValueKind.Null, config.GetProperty("tileUrl").ValueKind);
            Assert.Equal("Healthy", (await silo.HealthAsync())?.Body);
        }
    }

    [Fact]
    public async Task Without_a_base_map_the_tile_routes_answer_404_with_a_problem_and_the_silo_is_healthy()
    {
        var silo = shared.Silo;
        using var anonymous = silo.ClientWith(null);
        using var tile = await anonymous.GetAsync("/tiles/10/800/475");
        Assert.Equal(HttpStatusCode.NotFound, tile.StatusCode);
        Assert.Equal("application/problem+json", tile.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Dashboard:Tiles is not set", await tile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var tilejson = await anonymous.GetAsync("/tiles.json");
        Assert.Equal(HttpStatusCode.NotFound, tilejson.StatusCode);
        var config = await silo.Http.GetFromJsonAsync<JsonElement>("/api/dashboard/config");
        Assert.Equal(JsonValueKind.Null, config.GetProperty("baseMap").ValueKind);
        Assert.Equal("Healthy", (await silo.HealthAsync())?.Body);
    }

    public static TheoryData<string> UnusableFiles => ["missing", "text", "sqlite without tiles", "unknown format"];

    [Theory]
    [MemberData(nameof(UnusableFiles))]
    public async Task A_file_that_is_missing_or_no_mbtiles_is_logged_at_start_and_the_silo_runs_without_a_base_map_degraded(string kind)
    {
        var folder = TestSilo.NewDataFolder();
        var path = Path.Combine(folder, "cambodia.mbtiles");
        var reason = kind switch
        {
            "missing" => "does not exist",
            "text" => "is not an MBTiles file",
            "sqlite without tiles" => "has no tiles(zoom_level, tile_column, tile_row, tile_data) table",
            _ => "holds tiles of format 'tiff'",
        };
        switch (kind)
        {
            case "text":
                await File.WriteAllTextAsync(path, "this is a map, honestly\n");
                break;
            case "sqlite without tiles":
                await TestTileSet.WriteAsync(Path.Combine(folder, "other.mbtiles"), new Dictionary<string, string> { ["name"] = "x" }, new Dictionary<(int, int, int), byte[]>());
                await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(folder, "other.mbtiles")};Pooling=False"))
                {
                    await connection.OpenAsync();
                    await using var drop = connection.CreateCommand();
                    drop.CommandText = "DROP TABLE tiles";
                    await drop.ExecuteNonQueryAsync();
                }

                File.Move(Path.Combine(folder, "other.mbtiles"), path);
                break;
            case "unknown format":
                await TestTileSet.WriteAsync(path, new Dictionary<string, string> { ["name"] = "x", ["format"] = "tiff" },
                    new Dictionary<(int, int, int), byte[]> { [(0, 0, 0)] = [0x49, 0x49, 0x2A, 0x00] });
                break;
        }

        await using var silo = await BaseMapFixture.StartAsync($"bad-map-{kind.Replace(' ', '-')}", path);
        var line = await silo.WaitForOutputAsync("No base map: Dashboard:Tiles cannot be served", TimeSpan.FromSeconds(10));
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains(reason, line, StringComparison.Ordinal);
        Assert.Equal("Degraded", (await silo.HealthAsync())?.Body);

        using var anonymous = silo.ClientWith(null);
        using var tile = await anonymous.GetAsync("/tiles/0/0/0");
        Assert.Equal(HttpStatusCode.NotFound, tile.StatusCode);
        Assert.Contains(reason, await tile.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var config = await silo.Http.GetFromJsonAsync<JsonElement>("/api/dashboard/config");
        Assert.Equal(JsonValueKind.Null, config.GetProperty("baseMap").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await silo.Http.GetAsync("/api/assets")).StatusCode);
        Assert.Equal(1, (await StatsAsync(silo)).NoBaseMap);
    }

    [Fact]
    public async Task Zoomed_to_samlot_the_dashboard_draws_the_silos_raster_tiles_and_asks_nothing_of_any_other_host()
    {
        await using var dashboard = await OpenAtSamlotAsync(maps.Raster);

        // Samlot's own tile, at the map's zoom, loaded as a 256-pixel picture from the silo.
        var (x, y) = TestTileSet.Samlot(14);
        var samlot = dashboard.Page.Locator($".base-map img.leaflet-tile[src$='/tiles/14/{x}/{y}']");
        await Assertions.Expect(samlot).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("leaflet-tile-loaded"));
        Assert.Equal(TestPng.Size, await samlot.EvaluateAsync<int>("img => img.naturalWidth"));
        // Its colour is zoom 14's green, not the red of the decoy stored at the unflipped row.
        var pixel = await samlot.EvaluateAsync<int[]>(
            "img => { const c = document.createElement('canvas'); c.width = c.height = 1; const g = c.getContext('2d'); g.drawImage(img, 0, 0);"
            + " return [...g.getImageData(0, 0, 1, 1).data.slice(0, 3)]; }");
        Assert.Equal([170, 214, 150], pixel);
        var loaded = await dashboard.Page.EvaluateAsync<int>(
            "() => [...document.querySelectorAll('.base-map img.leaflet-tile')].filter(i => i.complete && i.naturalWidth === 256).length");
        Assert.True(loaded >= 9, $"{loaded} tiles drawn; the file has 9 around Samlot at zoom 14");

        await AttributedAndLoopbackOnlyAsync(dashboard, "base-map-raster", $"/tiles/14/{x}/{y}");
    }

    [Fact]
    public async Task Zoomed_to_samlot_the_dashboard_draws_the_silos_vector_tiles_on_canvas_in_the_water_colour_and_asks_nothing_of_any_other_host()
    {
        await using var dashboard = await OpenAtSamlotAsync(maps.Vector);

        // Vector tiles are 512-pixel tiles by convention: at map zoom 14 the layer draws the data of zoom 13.
        var (x, y) = TestTileSet.Samlot(13);
        await dashboard.Page.WaitForFunctionAsync(
            "([r, g, b, least]) => { let n = 0; for (const c of document.querySelectorAll('.base-map canvas.leaflet-tile-loaded')) {"
            + " if (!c.width) continue; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
            + " for (let i = 0; i < d.length; i += 4) if (d[i] === r && d[i + 1] === g && d[i + 2] === b && d[i + 3] === 255) n++; }"
            + " return n >= least; }",
            new[] { Water[0], Water[1], Water[2], 4 * 256 * 256 },
            new PageWaitForFunctionOptions { Timeout = 15000 });
        await AttributedAndLoopbackOnlyAsync(dashboard, "base-map-vector", $"/tiles/13/{x}/{y}");
    }

    /// <summary>A signed-in dashboard of that silo, its map at zoom 14 over Samlot.</summary>
    private async Task<DashboardPage> OpenAtSamlotAsync(SiloProcess silo)
    {
        var dashboard = await browser.OpenAsync(silo);
        await dashboard.SignInAsync();
        await dashboard.Page.EvaluateAsync("([lat, lon]) => window.cmacLive.focus(lat, lon, 14)", new[] { TestTileSet.SamlotLat, TestTileSet.SamlotLon });
        return dashboard;
    }

    /// <summary>
    /// The file's attribution shows as text (no link, no picture); the page asked for <paramref name="tile"/>, and every
    /// request it made went to the silo on loopback (data: and blob: URLs are the page's own); no console error.
    /// </summary>
    private async Task AttributedAndLoopbackOnlyAsync(DashboardPage dashboard, string screenshot, string tile)
    {
        await Assertions.Expect(dashboard.Page.Locator(".leaflet-control-attribution")).ToHaveTextAsync("© OpenStreetMap contributors");
        Assert.Equal(0, await dashboard.Page.Locator(".leaflet-control-attribution a, .leaflet-control-attribution img").CountAsync());
        await dashboard.ScreenshotAsync(browser.Screenshots, screenshot);

        var requests = dashboard.Requests.ToArray();
        Assert.Contains(requests, r => r.EndsWith(tile, StringComparison.Ordinal));
        var outside = requests.Where(r =>
        {
            var uri = new Uri(r);
            return uri.Scheme is not ("data" or "blob") && !(uri.Scheme is "http" or "https" or "ws" && uri.Host is "127.0.0.1" or "localhost");
        }).ToArray();
        Assert.True(outside.Length == 0, "requests beyond loopback: " + string.Join(", ", outside));
        Assert.True(dashboard.Errors.Count == 0, "console errors: " + string.Join(" | ", dashboard.Errors));
    }

    private static async Task<TileCounts> StatsAsync(ISiloEndpoint silo) =>
        (await silo.Http.GetFromJsonAsync<TileCounts>("/api/tiles/stats"))!;

    private static int PngWidth(byte[] png) => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4));

    private static byte[] Inflate(Stream inflating)
    {
        using (inflating)
        {
            using var output = new MemoryStream();
            inflating.CopyTo(output);
            return output.ToArray();
        }
    }

    private sealed record TileCounts(long Served, long NotModified, long Missing, long Refused, long NoBaseMap, long Failed);
}
