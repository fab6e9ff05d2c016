namespace CmacLive.Casualties;

public enum VictimSex
{
    Male = 0,
    Female = 1,
}
