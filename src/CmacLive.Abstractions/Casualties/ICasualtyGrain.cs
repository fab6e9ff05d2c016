namespace CmacLive.Casualties;

/// <summary>One accident record, keyed by its id; it keeps its year's list (<see cref="ICasualtyYearGrain"/>) in step.</summary>
public interface ICasualtyGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces the record; a new date may move it to another year's list.</summary>
    Task<CasualtyRecord> Put(CasualtyRecord record);

    Task<CasualtyRecord?> Get();
}
