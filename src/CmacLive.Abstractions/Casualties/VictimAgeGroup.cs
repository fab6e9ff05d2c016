namespace CmacLive.Casualties;

/// <summary>Child: under 18, as mine-action casualty figures count.</summary>
public enum VictimAgeGroup
{
    Adult = 0,
    Child = 1,
}
