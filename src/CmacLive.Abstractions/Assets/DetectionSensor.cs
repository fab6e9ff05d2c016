namespace CmacLive.Assets;

/// <summary>The sensor behind a detection.</summary>
public enum DetectionSensor
{
    Metal = 0,
    Gpr = 1,
    Dual = 2,
    Dog = 3,
    Rat = 4,
}
