namespace CmacLive.Casualties;

/// <summary>One month's accidents and victims in one province: <see cref="Month"/> as <c>2025-01</c>.</summary>
public sealed record CasualtyFigures(string Month, string Province, int Accidents, int Victims, int Killed, int Injured);
