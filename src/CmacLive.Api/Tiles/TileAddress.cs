using System.Globalization;

namespace CmacLive.Api.Tiles;

/// <summary>
/// A tile as a map asks for it: zoom, column and row in the XYZ scheme (row 0 at the top, as Leaflet, MapLibre, QGIS and
/// OpenStreetMap number them). MBTiles stores rows the other way up (TMS, row 0 at the bottom): <see cref="TmsRow"/>.
/// </summary>
public readonly record struct TileAddress(int Z, int X, int Y)
{
    /// <summary>The deepest zoom a tile may be asked for: 2^30 columns still fit an int.</summary>
    public const int MaxZoom = 30;

    /// <summary>What a tile's last segment may end with; every one serves the same tile, in the set's own format.</summary>
    public static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".webp", ".pbf", ".mvt"];

    /// <summary>The row as MBTiles stores it: 2^z − 1 − y.</summary>
    public int TmsRow => (1 << Z) - 1 - Y;

    /// <summary>
    /// Reads <c>/tiles/{z}/{x}/{y}</c> (the row may end with one of <see cref="Extensions"/>); a part that is not a whole
    /// number in range is named in <paramref name="errors"/>.
    /// </summary>
    public static TileAddress? Read(string z, string x, string y, Dictionary<string, string[]> errors)
    {
        var zoom = Number(z) is { } zv && zv <= MaxZoom ? zv : (int?)null;
        if (zoom is null)
        {
            errors["z"] = [$"must be a whole number from 0 to {MaxZoom}"];
        }

        var column = Coordinate(x, "x", zoom, errors);
        var row = Coordinate(WithoutExtension(y, errors), "y", zoom, errors);
        return zoom is { } zz && column is { } xx && row is { } yy && errors.Count == 0 ? new TileAddress(zz, xx, yy) : null;
    }

    public override string ToString() => $"{Z}/{X}/{Y}";

    private static int? Coordinate(string? text, string name, int? zoom, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }

        var value = Number(text);
        if (zoom is { } z)
        {
            var last = (1L << z) - 1;
            if (value is null || value > last)
            {
                errors[name] = [$"must be a whole number from 0 to {last} at zoom {z}"];
                return null;
            }
        }
        else if (value is null)
        {
            errors[name] = ["must be a whole number from 0 to 2^z − 1"];
        }

        return value;
    }

    private static string? WithoutExtension(string y, Dictionary<string, string[]> errors)
    {
        var dot = y.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            return y;
        }

        if (!Extensions.Contains(y[dot..], StringComparer.OrdinalIgnoreCase))
        {
            errors["y"] = [$"must be a whole number, optionally followed by {string.Join(", ", Extensions)}"];
            return null;
        }

        return y[..dot];
    }

    /// <summary>Digits only (no sign, space or exponent), at most an int.</summary>
    private static int? Number(string text) =>
        text.Length is > 0 and <= 10 && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
