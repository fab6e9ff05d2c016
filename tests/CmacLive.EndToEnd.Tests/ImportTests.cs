using System.Globalization;
using System.Text.Json;
using CmacLive.Import;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;

namespace CmacLive.EndToEnd.Tests;

/// <summary>The import command against a running silo: a projected shapefile, a FeatureCollection, and files it must refuse whole.</summary>
[Collection(SiloCollection.Name)]
public sealed class ImportTests(SiloFixture fixture) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cmaclive-import-").FullName;

    /// <summary>The .prj a GIS (ArcGIS, QGIS) writes for WGS 84 / UTM zone 48N.</summary>
    private const string Utm48NPrj =
        "PROJCS[\"WGS_1984_UTM_Zone_48N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]]," +
        "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0]," +
        "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",105.0],PARAMETER[\"Scale_Factor\",0.9996]," +
        "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

    private TestSilo Silo => fixture.Silo;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Polygon UtmRectangle(double east, double north, double width, double height) => new GeometryFactory().CreatePolygon(
    [
        new Coordinate(east, north), new Coordinate(east, north + height), new Coordinate(east + width, north + height),
        new Coordinate(east + width, north), new Coordinate(east, north),
    ]);

    private async Task<(int Code, string Output)> ImportAsync(params string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var code = await Importer.RunAsync([.. args, "--url", Silo.BaseAddress.ToString(), "--token", TestSilo.Token], output);
        return (code, output.ToString());
    }

    [Fact]
    public async Task A_shapefile_in_utm_zone_48n_is_imported_in_wgs84_with_its_attributes_and_exact_areas()
    {
        var tag = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var features = new[]
        {
            new Feature(UtmRectangle(246_000, 1_422_000, 200, 100), new AttributesTable { { "HAZ_CODE", $"PL/CHA/CMAA/{tag}1" }, { "HAZ_TYPE", "cha" }, { "PROVINCE", "Pailin" }, { "UNIT", "DU5" } }),
            new Feature(UtmRectangle(246_500, 1_422_000, 50, 40), new AttributesTable { { "HAZ_CODE", $"PL/SHA/CMAA/{tag}2" }, { "HAZ_TYPE", "SHA" }, { "PROVINCE", "Pailin" }, { "UNIT", "DU5" } }),
        };
        var shp = Path.Combine(_folder, "areas.shp");
        Shapefile.WriteAllFeatures(features, shp, Utm48NPrj);

        var (code, output) = await ImportAsync(shp, "--map", "code=HAZ_CODE,type=HAZ_TYPE");

        Assert.True(code == 0, output);
        var first = await Silo.GetJsonAsync<JsonElement>($"/api/hazard-areas/{Uri.EscapeDataString($"PL/CHA/CMAA/{tag}1")}");
        Assert.Equal("confirmed", first.GetProperty("status").GetString());
        Assert.Equal("Pailin", first.GetProperty("province").GetString());
        Assert.InRange(first.GetProperty("areaM2").GetDouble(), 19_990, 20_010);
        var second = await Silo.GetJsonAsync<JsonElement>($"/api/hazard-areas/{Uri.EscapeDataString($"PL/SHA/CMAA/{tag}2")}");
        Assert.Equal("suspected", second.GetProperty("status").GetString());
        Assert.InRange(second.GetProperty("areaM2").GetDouble(), 1_999, 2_001);
    }

    [Fact]
    public async Task A_feature_collection_with_one_bad_feature_is_refused_whole_and_nothing_is_stored()
    {
        var tag = Random.Shared.Next(100_000, 999_999).ToString(CultureInfo.InvariantCulture);
        var good = $"BB/CHA/CMAA/{tag}1";
        var bowTie = $"BB/CHA/CMAA/{tag}2";
        var path = Path.Combine(_folder, "areas.geojson");
        await File.WriteAllTextAsync(path, $$$"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"code":"{{{good}}}","type":"CHA"},"geometry":{"type":"Polygon","coordinates":[[[102.60,12.90],[102.601,12.90],[102.601,12.901],[102.60,12.901],[102.60,12.90]]]}},
              {"type":"Feature","properties":{"code":"{{{bowTie}}}","type":"CHA"},"geometry":{"type":"Polygon","coordinates":[[[102.60,12.90],[102.601,12.901],[102.601,12.90],[102.60,12.901],[102.60,12.90]]]}},
              {"type":"Feature","properties":{"code":"BB/X/1","type":"CHA"},"geometry":{"type":"Polygon","coordinates":[[[402.60,12.90],[402.601,12.90],[402.601,12.901],[402.60,12.90]]]}},
              {"type":"Feature","properties":{"type":"SHA"},"geometry":{"type":"Polygon","coordinates":[[[102.60,12.90],[102.601,12.90],[102.601,12.901],[102.60,12.90]]]}}
            ]}
            """);

        var (code, output) = await ImportAsync(path);

        Assert.Equal(2, code);
        Assert.Contains(bowTie, output, StringComparison.Ordinal);
        Assert.Contains("Self-intersection", output, StringComparison.Ordinal);
        Assert.Contains("not WGS84", output, StringComparison.Ordinal);
        Assert.Contains("no code", output, StringComparison.Ordinal);
        Assert.Contains("nothing imported", output, StringComparison.Ordinal);
        var missing = await Silo.Http.GetAsync($"/api/hazard-areas/{Uri.EscapeDataString(good)}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);

        // Without the bad features the same file imports.
        await File.WriteAllTextAsync(path, $$$"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"code":"{{{good}}}","type":"CHA","unit":"DU6"},"geometry":{"type":"Polygon","coordinates":[[[102.60,12.90],[102.601,12.90],[102.601,12.901],[102.60,12.901],[102.60,12.90]]]}}
            ]}
            """);
        (code, output) = await ImportAsync(path);
        Assert.True(code == 0, output);
        Assert.Equal("DU6", (await Silo.GetJsonAsync<JsonElement>($"/api/hazard-areas/{Uri.EscapeDataString(good)}")).GetProperty("unit").GetString());
    }
}
