namespace CmacLive.Casualties;

/// <summary>One person hurt or killed in an accident. <see cref="Occupation"/> is personal: a viewer never sees it.</summary>
[GenerateSerializer, Immutable, Alias("cmac.Victim")]
public sealed record Victim
{
    [Id(0)] public required VictimSex Sex { get; init; }
    [Id(1)] public required VictimAgeGroup AgeGroup { get; init; }
    [Id(2)] public required VictimOutcome Outcome { get; init; }
    [Id(3)] public string? Occupation { get; init; }
}
