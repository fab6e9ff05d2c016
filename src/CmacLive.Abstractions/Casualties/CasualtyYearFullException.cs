namespace CmacLive.Casualties;

/// <summary>The year already holds <see cref="ICasualtyYearGrain.MaxRecords"/> records.</summary>
[GenerateSerializer, Alias("cmac.CasualtyYearFullException")]
public sealed class CasualtyYearFullException : Exception
{
    public CasualtyYearFullException()
    {
    }

    public CasualtyYearFullException(int year)
        : base($"the year {year} already holds {ICasualtyYearGrain.MaxRecords} accident records")
    {
    }

    public CasualtyYearFullException(string message)
        : base(message)
    {
    }

    public CasualtyYearFullException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
