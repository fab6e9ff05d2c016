using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace CmacLive.Api.Apis;

/// <summary>What a user name may look like: 1–64 lower-case letters, digits, '.', '_', '-', '@' (an e-mail address fits).</summary>
public static partial class UserNames
{
    public const string Rule = "must be 1–64 characters of lower-case letters, digits, '.', '_', '-' or '@', starting with a letter or digit, and not 'break-glass'";

    public static bool IsValid([NotNullWhen(true)] string? name) =>
        name is not null && Pattern().IsMatch(name) && name != Auth.ApiKeyHandler.BreakGlassName;

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._@-]{0,63}\z")]
    private static partial Regex Pattern();
}
