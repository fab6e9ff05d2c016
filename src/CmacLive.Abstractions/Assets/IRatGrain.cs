namespace CmacLive.Assets;

/// <summary>A mine-detection rat.</summary>
public interface IRatGrain : IAssetGrain;
