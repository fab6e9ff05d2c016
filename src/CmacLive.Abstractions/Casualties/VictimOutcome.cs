namespace CmacLive.Casualties;

public enum VictimOutcome
{
    Injured = 0,
    Killed = 1,
}
