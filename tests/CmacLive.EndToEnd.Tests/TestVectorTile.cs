using System.Text;

namespace CmacLive.EndToEnd.Tests;

/// <summary>
/// A Mapbox Vector Tile (spec 2.1) written by hand: one layer (version 2, extent 4096) holding one polygon, a square a
/// little larger than the tile, so a renderer fills the whole tile with the layer's colour.
/// </summary>
public static class TestVectorTile
{
    public const int Extent = 4096;

    public static byte[] FullSquare(string layer)
    {
        // Geometry commands: MoveTo(1) once, LineTo(2) three times, ClosePath(7); parameters zigzag-encoded deltas. The
        // ring runs clockwise with y down (a positive area by the surveyor's formula): an exterior ring.
        const int margin = 128;
        const int side = Extent + (2 * margin);
        uint[] geometry =
        [
            Command(1, 1), ZigZag(-margin), ZigZag(-margin),
            Command(2, 3), ZigZag(side), ZigZag(0), ZigZag(0), ZigZag(side), ZigZag(-side), ZigZag(0),
            Command(7, 1),
        ];

        var feature = new List<byte>();
        Varint(feature, Tag(1, 0)); // id
        Varint(feature, 1);
        Varint(feature, Tag(3, 0)); // type: POLYGON
        Varint(feature, 3);
        var packed = new List<byte>();
        foreach (var value in geometry)
        {
            Varint(packed, value);
        }

        Bytes(feature, 4, [.. packed]); // geometry, packed

        var body = new List<byte>();
        Varint(body, Tag(15, 0)); // version
        Varint(body, 2);
        Bytes(body, 1, Encoding.UTF8.GetBytes(layer)); // name
        Bytes(body, 2, [.. feature]); // features
        Varint(body, Tag(5, 0)); // extent
        Varint(body, Extent);

        var tile = new List<byte>();
        Bytes(tile, 3, [.. body]); // layers
        return [.. tile];
    }

    private static uint Command(uint id, uint count) => (id & 0x7) | (count << 3);

    private static uint ZigZag(int n) => (uint)((n << 1) ^ (n >> 31));

    private static uint Tag(int field, int wireType) => (uint)((field << 3) | wireType);

    private static void Bytes(List<byte> to, int field, byte[] value)
    {
        Varint(to, Tag(field, 2));
        Varint(to, (uint)value.Length);
        to.AddRange(value);
    }

    private static void Varint(List<byte> to, uint value)
    {
        while (value >= 0x80)
        {
            to.Add((byte)(value | 0x80));
            value >>= 7;
        }

        to.Add((byte)value);
    }
}
