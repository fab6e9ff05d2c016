namespace CmacLive.Api.Apis;

/// <summary>
/// Who did a step, for trails: <see cref="By"/> is always the signed-in user; <see cref="OnBehalfOf"/> the person the user
/// acted for (the body's optional <c>by</c>, such as a director on the radio), kept beside it, never instead of it.
/// </summary>
public sealed record Actor(string By, string? OnBehalfOf);
