using Microsoft.AspNetCore.Authorization;

namespace CmacLive.Api.Auth;

/// <summary>
/// The authorization policies every route and hub method names, one each. The route table in docs/people.md lists
/// them, and a test walks that table against a running silo with every role.
/// </summary>
public static class Policies
{
    /// <summary>Any signed-in caller, whatever its roles (<c>GET /api/me</c>).</summary>
    public const string SignedIn = "signed-in";

    /// <summary>Reading: every role.</summary>
    public const string Read = "read";

    /// <summary>The duty officer's changes: admin, operator.</summary>
    public const string Operate = "operate";

    /// <summary>Requests: admin, dispatcher.</summary>
    public const string Dispatch = "dispatch";

    /// <summary>Acknowledging alerts: admin, operator, dispatcher.</summary>
    public const string Acknowledge = "acknowledge";

    /// <summary>The audit trail: admin, operator.</summary>
    public const string Audit = "audit";

    /// <summary>Users, keys, signing keys: admin.</summary>
    public const string Admin = "admin";

    /// <summary>The roles each policy admits.</summary>
    public static IReadOnlyDictionary<string, string[]> RolesOf { get; } = new Dictionary<string, string[]>
    {
        [Read] = [Roles.Admin, Roles.Operator, Roles.Dispatcher, Roles.Viewer],
        [Operate] = [Roles.Admin, Roles.Operator],
        [Dispatch] = [Roles.Admin, Roles.Dispatcher],
        [Acknowledge] = [Roles.Admin, Roles.Operator, Roles.Dispatcher],
        [Audit] = [Roles.Admin, Roles.Operator],
        [Admin] = [Roles.Admin],
    };

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(SignedIn, p => p.RequireAuthenticatedUser());
        foreach (var (name, roles) in RolesOf)
        {
            options.AddPolicy(name, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }
    }
}
