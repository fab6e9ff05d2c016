using System.Text.Json;
using CmacLive.Geo;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace CmacLive.Import;

/// <summary>One hazard area read from a file, ready to PUT: its code, its properties and its WGS84 geometry.</summary>
public sealed record ImportedArea(string Code, IReadOnlyDictionary<string, string> Properties, Geometry Geometry);

/// <summary>
/// Reads hazard areas from a GeoJSON file (a FeatureCollection or one Feature) or an Esri Shapefile (with
/// its .dbf attributes and, when present, its .prj: projected data such as UTM zone 48N is brought to
/// WGS84). Every feature is checked before anything is sent: one bad feature refuses the whole file, so
/// an import is never half done.
/// </summary>
public static class HazardAreaFile
{
    /// <summary>The properties an area takes; each may come from a differently named attribute (see <c>--map</c>).</summary>
    public static readonly string[] Fields = ["code", "type", "name", "province", "unit", "priority", "project"];

    public static (IReadOnlyList<ImportedArea> Areas, IReadOnlyList<string> Problems) Read(string path, IReadOnlyDictionary<string, string> fieldMap)
    {
        IReadOnlyList<IFeature> features;
        MathTransform? toWgs84 = null;
        try
        {
            if (Path.GetExtension(path).Equals(".shp", StringComparison.OrdinalIgnoreCase))
            {
                features = Shapefile.ReadAllFeatures(path, new ShapefileReaderOptions { GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes });
                var prj = Path.ChangeExtension(path, ".prj");
                if (File.Exists(prj))
                {
                    toWgs84 = TransformFrom(File.ReadAllText(prj));
                }
            }
            else
            {
                features = ReadGeoJson(File.ReadAllText(path));
            }
        }
        catch (Exception ex) when (ex is IOException or JsonException or ShapefileException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            return ([], [$"{path}: cannot be read: {ex.Message}"]);
        }

        var areas = new List<ImportedArea>();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < features.Count; i++)
        {
            var feature = features[i];
            var properties = Properties(feature, fieldMap);
            var label = properties.TryGetValue("code", out var c) ? $"feature {i + 1} ({c})" : $"feature {i + 1}";
            if (!properties.TryGetValue("code", out var code) || string.IsNullOrWhiteSpace(code))
            {
                problems.Add($"{label}: no code");
                continue;
            }

            if (!seen.Add(code))
            {
                problems.Add($"{label}: code {code} appears more than once");
            }

            if (!properties.TryGetValue("type", out var type) || type is not ("SHA" or "CHA"))
            {
                problems.Add($"{label}: type must be SHA or CHA");
            }

            var geometry = feature.Geometry;
            if (geometry is not null && toWgs84 is not null)
            {
                geometry = GeometryTransform.Apply(geometry, toWgs84);
            }

            if (HazardAreaGeometry.Problem(geometry) is { } problem)
            {
                problems.Add($"{label}: {problem}");
                continue;
            }

            geometry!.SRID = 4326;
            areas.Add(new ImportedArea(code, properties, geometry));
        }

        if (features.Count == 0)
        {
            problems.Add($"{path}: holds no features");
        }

        return (areas, problems);
    }

    /// <summary>The area as the REST API takes it: a GeoJSON Feature.</summary>
    public static string ToFeatureJson(ImportedArea area)
    {
        var feature = new Feature(area.Geometry, new AttributesTable(area.Properties.ToDictionary(p => p.Key, p => (object)p.Value)));
        return JsonSerializer.Serialize(feature, GeoJsonOptions());
    }

    private static List<IFeature> ReadGeoJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        var kind = document.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        var options = GeoJsonOptions();
        return kind switch
        {
            "FeatureCollection" => [.. JsonSerializer.Deserialize<FeatureCollection>(text, options)!],
            "Feature" => [JsonSerializer.Deserialize<IFeature>(text, options)!],
            _ => throw new JsonException("the file is neither a GeoJSON FeatureCollection nor a Feature"),
        };
    }

    private static Dictionary<string, string> Properties(IFeature feature, IReadOnlyDictionary<string, string> fieldMap)
    {
        var attributes = feature.Attributes;
        var names = attributes?.GetNames() ?? [];
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var field in Fields)
        {
            var source = fieldMap.TryGetValue(field, out var mapped) ? mapped : field;
            var name = names.FirstOrDefault(n => n.Equals(source, StringComparison.OrdinalIgnoreCase));
            if (name is not null && attributes![name] is { } value && value.ToString()?.Trim() is { Length: > 0 } text)
            {
                result[field] = field == "type" ? text.ToUpperInvariant() : text;
            }
        }

        return result;
    }

    /// <summary>The transform from the file's coordinate system to WGS84 longitude/latitude, or null when it is WGS84 already.</summary>
    private static MathTransform? TransformFrom(string wkt)
    {
        var source = (CoordinateSystem)new CoordinateSystemFactory().CreateFromWkt(wkt);
        if (source is GeographicCoordinateSystem geographic && geographic.HorizontalDatum.EqualParams(GeographicCoordinateSystem.WGS84.HorizontalDatum))
        {
            return null;
        }

        return new CoordinateTransformationFactory().CreateFromCoordinateSystems(source, GeographicCoordinateSystem.WGS84).MathTransform;
    }

    private static JsonSerializerOptions GeoJsonOptions()
    {
        var options = new JsonSerializerOptions();
        options.Converters.Add(new GeoJsonConverterFactory(HazardAreaGeometry.Factory));
        return options;
    }
}
