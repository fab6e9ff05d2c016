using System.Globalization;
using System.Text.Json;
using CmacLive.Api.Auth;
using CmacLive.People;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the user routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class UserBodies
{
    /// <summary>
    /// <c>PUT /api/users/{username}</c> <c>{displayName, roles, password?, disabled?}</c>; the route's user name is checked
    /// with the body. The password is as sent (the route hashes it); no <see cref="Disabled"/> keeps the user's.
    /// </summary>
    public sealed record Account(string DisplayName, string[] Roles, string? Password, bool? Disabled)
    {
        public static Account Read(JsonElement body, string username, Dictionary<string, string[]> errors)
        {
            if (!UserNames.IsValid(username))
            {
                errors["username"] = [UserNames.Rule];
            }

            var displayName = Problems.RequiredText(body, "displayName", InputLimits.Name, errors);
            var roles = ReadRoles(body, required: true, errors);
            var password = Problems.OptionalString(body, "password", errors);
            if (password is { Length: < PasswordHashing.MinLength or > PasswordHashing.MaxLength })
            {
                errors["password"] = [$"must be {PasswordHashing.MinLength} to {PasswordHashing.MaxLength} characters"];
            }

            bool? disabled = body.TryGetProperty("disabled", out var flag) && flag.ValueKind != JsonValueKind.Null
                ? Problems.OptionalBool(body, "disabled", errors)
                : null;
            return new(displayName ?? "", roles ?? [], password, disabled);
        }
    }

    /// <summary>
    /// <c>POST /api/users/{username}/keys</c> <c>{name, roles?, expiresAt?}</c>: the key's roles must be among its
    /// <c>holder</c>'s (none: the holder's own), its expiry after <c>now</c>. With no holder (no such user) nothing is
    /// checked: the route answers 404 whatever the members hold.
    /// </summary>
    public sealed record KeyRequest(string Name, string[]? Roles, DateTimeOffset? ExpiresAt)
    {
        public static KeyRequest Read(JsonElement body, UserView? holder, DateTimeOffset now, Dictionary<string, string[]> errors)
        {
            if (holder is null)
            {
                return new("", null, null);
            }

            var name = Problems.RequiredId(body, "name", errors);
            var roles = ReadRoles(body, required: false, errors);
            if (roles is not null && roles.Except(holder.Roles, StringComparer.Ordinal).ToArray() is { Length: > 0 } beyond)
            {
                errors["roles"] = [$"user '{holder.Username}' does not hold {string.Join(", ", beyond)}; a key grants at most its user's roles"];
            }

            DateTimeOffset? expiresAt = null;
            if (Problems.OptionalString(body, "expiresAt", errors) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    errors["expiresAt"] = ["must be an ISO-8601 time"];
                }
                else if (parsed <= now)
                {
                    errors["expiresAt"] = ["must be in the future"];
                }
                else
                {
                    expiresAt = parsed.ToUniversalTime();
                }
            }

            return new(name ?? "", roles, expiresAt);
        }
    }

    /// <summary>A role list: an array of the contract's role names; an unknown one is named in the error.</summary>
    private static string[]? ReadRoles(JsonElement body, bool required, Dictionary<string, string[]> errors)
    {
        if (!body.TryGetProperty("roles", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors["roles"] = [$"is required: an array of {string.Join(", ", Roles.All)}"];
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > InputLimits.ListItems
            || value.EnumerateArray().Any(r => r.ValueKind != JsonValueKind.String))
        {
            errors["roles"] = [$"must be an array of {string.Join(", ", Roles.All)}"];
            return null;
        }

        var roles = value.EnumerateArray().Select(r => r.GetString()!.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToArray();
        if (roles.Where(r => !Roles.IsKnown(r)).ToArray() is { Length: > 0 } unknown)
        {
            errors["roles"] = [$"unknown role {string.Join(", ", unknown.Take(3).Select(r => $"'{Identifiers.Shown(r)}'"))}; roles are {string.Join(", ", Roles.All)}"];
            return null;
        }

        return [.. Roles.All.Where(roles.Contains)];
    }

    /// <summary>The body of <c>PUT /api/users/{username}</c> as sent (<see cref="Account"/> reads it).</summary>
    public sealed record UserBody
    {
        public required string DisplayName { get; init; }

        /// <summary>Role names: admin, operator, dispatcher, viewer.</summary>
        public required IReadOnlyList<string> Roles { get; init; }

        /// <summary>A new password; none keeps the user's.</summary>
        public string? Password { get; init; }

        /// <summary>True stops the user's tokens and keys; none keeps the user's setting.</summary>
        public bool? Disabled { get; init; }
    }

    /// <summary>The body of <c>POST /api/users/{username}/keys</c> as sent (<see cref="KeyRequest"/> reads it).</summary>
    public sealed record ApiKeyBody
    {
        /// <summary>The key's name, unique for its user (an id: letters, digits, '-', '_', '.').</summary>
        public required string Name { get; init; }

        /// <summary>The key's roles, among its user's; none: the user's own.</summary>
        public IReadOnlyList<string>? Roles { get; init; }

        /// <summary>When the key stops; none: never.</summary>
        public DateTimeOffset? ExpiresAt { get; init; }
    }
}
