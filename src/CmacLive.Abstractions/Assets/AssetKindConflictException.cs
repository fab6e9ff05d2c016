namespace CmacLive.Assets;

/// <summary>An asset id is registered with one kind and was asked to become another.</summary>
[GenerateSerializer, Alias("cmac.AssetKindConflictException")]
public sealed class AssetKindConflictException : Exception
{
    public AssetKindConflictException()
    {
    }

    public AssetKindConflictException(string message) : base(message)
    {
    }

    public AssetKindConflictException(string message, Exception inner) : base(message, inner)
    {
    }

    public AssetKindConflictException(string assetId, AssetKind registered, AssetKind requested)
        : base($"asset '{assetId}' is a {WireNames.Of(registered)}, not a {WireNames.Of(requested)}")
    {
    }
}
