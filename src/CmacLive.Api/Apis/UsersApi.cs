using System.Text.Json;
using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.People;
using CmacLive.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace CmacLive.Api.Apis;

/// <summary>Users and their API keys (admin only). Never answers a password, a hash or a key after it was made.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").RequireAuthorization(Policies.Admin);
        users.MapGet("/", List);
        users.MapGet("/{username}", Get);
        users.MapPut("/{username}", Put).Audited("user.put", "user:{username}", "displayName", "roles", "disabled");
        users.MapDelete("/{username}", Delete).Audited("user.delete", "user:{username}");
        users.MapPost("/{username}/keys", AddKey).Audited("api-key.create", "user:{username}", "name", "roles", "expiresAt");
        users.MapDelete("/{username}/keys/{name}", RevokeKey).Audited("api-key.revoke", "user:{username}");
        return api;
    }

    public sealed record NewKey(string Name, string Key, string[]? Roles, DateTimeOffset? ExpiresAt);

    public static async Task<Ok<UserView[]>> List(IGrainFactory grains)
    {
        var names = await grains.GetGrain<IUserDirectoryGrain>(0).List();
        var users = await Task.WhenAll(names.Select(n => grains.GetGrain<IUserGrain>(n).Get()));
        return TypedResults.Ok(users.OfType<UserView>().ToArray());
    }

    public static async Task<Results<Ok<UserView>, ProblemHttpResult>> Get(string username, IGrainFactory grains) =>
        Normalize(username) is { } name && await grains.GetGrain<IUserGrain>(name).Get() is { } user
            ? TypedResults.Ok(user)
            : Problems.NoSuch("user", username);

    /// <summary><c>PUT /api/users/{username}</c> <c>{displayName, roles, password?, disabled?}</c>: creates or changes the user.</summary>
    public static async Task<Results<Ok<UserView>, ValidationProblem>> Put(
        string username, HttpRequest request, IGrainFactory grains, PasswordHashing passwords, AccessCache cache, CancellationToken cancellationToken)
    {
        var (body, error) = await Problems.ReadObjectAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var errors = new Dictionary<string, string[]>();
        var name = Normalize(username);
        if (name is null)
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
        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var change = new UserChange
        {
            DisplayName = displayName!,
            Roles = roles!,
            PasswordHash = password is null ? null : passwords.Hash(password),
            Disabled = disabled,
        };
        var user = await grains.GetGrain<IUserGrain>(name!).Put(change);
        cache.Forget(name!);
        return TypedResults.Ok(user);
    }

    /// <summary><c>DELETE /api/users/{username}</c>: the user's tokens and keys stop on every silo within seconds, its hub connections close.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string username, IGrainFactory grains, AccessCache cache)
    {
        var name = Normalize(username);
        if (name is null || !await grains.GetGrain<IUserGrain>(name).Delete())
        {
            return Problems.NoSuch("user", username);
        }

        cache.Forget(name);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// <c>POST /api/users/{username}/keys</c> <c>{name, roles?, expiresAt?}</c>: a new API key, shown this once. Its roles
    /// must be among the user's (none: the user's own); it never grants more than its user holds at the time it is used.
    /// </summary>
    public static async Task<Results<Created<NewKey>, ValidationProblem, ProblemHttpResult>> AddKey(
        string username, HttpRequest request, IGrainFactory grains, AccessCache cache, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, error) = await Problems.ReadObjectAsync(request, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var name = Normalize(username);
        if (name is null || await grains.GetGrain<IUserGrain>(name).Get() is not { } user)
        {
            return Problems.NoSuch("user", username);
        }

        var errors = new Dictionary<string, string[]>();
        var keyName = Problems.RequiredId(body, "name", errors);

        var roles = ReadRoles(body, required: false, errors);
        if (roles is not null && roles.Except(user.Roles, StringComparer.Ordinal).ToArray() is { Length: > 0 } beyond)
        {
            errors["roles"] = [$"user '{name}' does not hold {string.Join(", ", beyond)}; a key grants at most its user's roles"];
        }

        DateTimeOffset? expiresAt = null;
        if (Problems.OptionalString(body, "expiresAt", errors) is { } text)
        {
            if (!DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed))
            {
                errors["expiresAt"] = ["must be an ISO-8601 time"];
            }
            else if (parsed <= time.GetUtcNow())
            {
                errors["expiresAt"] = ["must be in the future"];
            }
            else
            {
                expiresAt = parsed.ToUniversalTime();
            }
        }

        if (errors.Count > 0)
        {
            return Problems.Fields(errors);
        }

        var (key, id, hash) = BearerToken.NewApiKey();
        try
        {
            var added = await grains.GetGrain<IUserGrain>(name).AddKey(new ApiKeyGrant { Id = id, Name = keyName!, Hash = hash, Roles = roles, ExpiresAt = expiresAt });
            if (added is null)
            {
                return Problems.NoSuch("user", username);
            }

            cache.Forget(name);
            return TypedResults.Created($"/api/users/{name}/keys/{Uri.EscapeDataString(added.Name)}", new NewKey(added.Name, key, added.Roles, added.ExpiresAt));
        }
        catch (PeopleConflictException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    /// <summary><c>DELETE /api/users/{username}/keys/{name}</c>: the key stops on every silo within seconds.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(string username, string name, IGrainFactory grains, AccessCache cache)
    {
        var user = Normalize(username);
        if (user is null || !await grains.GetGrain<IUserGrain>(user).RevokeKey(name))
        {
            return Problems.NotFound($"user '{Identifiers.Shown(username)}' has no key '{Identifiers.Shown(name)}'");
        }

        cache.Forget(user);
        return TypedResults.NoContent();
    }

    /// <summary>The user name as stored (lower case), or null: routes take it exactly, so one user has one name in every trail.</summary>
    private static string? Normalize(string username) => UserNames.IsValid(username) ? username : null;

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
}
