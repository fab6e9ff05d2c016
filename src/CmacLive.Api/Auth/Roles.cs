using System.Security.Claims;

namespace CmacLive.Api.Auth;

/// <summary>The roles of the contract. A user may hold several; what one role may do, holding it adds.</summary>
public static class Roles
{
    /// <summary>Everything, including users, devices and configuration.</summary>
    public const string Admin = "admin";

    /// <summary>The duty officer: assets, devices, hazard areas and land release, tasks, detections and finds, alerts, projects.</summary>
    public const string Operator = "operator";

    /// <summary>Requests (file, assign, acknowledge by radio, resolve, cancel) and acknowledging alerts.</summary>
    public const string Dispatcher = "dispatcher";

    /// <summary>Reads everything, changes nothing; sees reporters' names and phones masked.</summary>
    public const string Viewer = "viewer";

    public static IReadOnlyList<string> All { get; } = [Admin, Operator, Dispatcher, Viewer];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>
    /// Whether the caller sees reporters' names and phones: every role but <c>viewer</c> does, so a caller who
    /// holds only <c>viewer</c> sees them masked.
    /// </summary>
    public static bool SeesPersonalData(ClaimsPrincipal user) =>
        user.IsInRole(Admin) || user.IsInRole(Operator) || user.IsInRole(Dispatcher);
}
