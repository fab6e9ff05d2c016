namespace CmacLive.Api.Tiles;

/// <summary>A file that cannot be served as a base map, and why, in words for the silo's log and <c>/health</c>.</summary>
public sealed class MbTilesException(string message, Exception? inner = null) : Exception(message, inner);
