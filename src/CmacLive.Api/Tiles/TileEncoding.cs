namespace CmacLive.Api.Tiles;

/// <summary>
/// How a vector tile is stored: most writers gzip them (tippecanoe, planetiler, OpenMapTiles), MBTiles 1.3 says
/// zlib-deflated, some store them raw. Served as stored with the matching <c>Content-Encoding</c>; inflated here only for
/// a client that does not accept that encoding.
/// </summary>
public enum TileEncoding
{
    Identity,
    Gzip,
    Deflate,
}
