namespace CmacLive.HazardAreas;

/// <summary>One hazard area. Keyed by its code, such as <c>BS/CHA/CMAA/60222</c>.</summary>
public interface IHazardAreaGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the area's definition (the geometry is validated by the caller).</summary>
    Task<HazardAreaView> Define(HazardAreaDefinition definition);

    Task<HazardAreaView?> GetView();

    Task<HazardAreaDefinition?> GetDefinition();
}
