namespace CmacLive.Assets;

/// <summary>A demining machine: excavator, brush cutter, flail.</summary>
public interface IMachineGrain : IAssetGrain;
