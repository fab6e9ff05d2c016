namespace CmacLive.Api.Auth;

/// <summary>An external identity provider (Keycloak, Entra ID) whose tokens are accepted beside the silo's own.</summary>
public sealed class OidcOptions
{
    /// <summary>The issuer's URL; its <c>/.well-known/openid-configuration</c> and keys are read from there. Unset: no external provider.</summary>
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim that names the roles: a claim name, or a path into nested claims such as <c>realm_access.roles</c> (Keycloak).</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim that names the user.</summary>
    public string NameClaim { get; set; } = "preferred_username";

    /// <summary>Only for a provider on this machine in tests: metadata over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
