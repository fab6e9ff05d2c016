namespace CmacLive.Assets;

/// <summary>What is tracked: a team (manual demining or EOD), a machine, a mine-detection dog or rat.</summary>
public enum AssetKind
{
    Team = 0,
    Machine = 1,
    Dog = 2,
    Rat = 3,
}
