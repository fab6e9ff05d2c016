namespace CmacLive.Assets;

/// <summary>A mine-detection dog.</summary>
public interface IDogGrain : IAssetGrain;
