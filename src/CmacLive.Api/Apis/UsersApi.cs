using CmacLive.Api.Audit;
using CmacLive.Api.Auth;
using CmacLive.People;
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
        var users = api.MapGroup("/users").RequireAuthorization(Policies.Admin).WithTags("Users");
        users.MapGet("/", List).WithName("ListUsers").WithSummary("Every user");
        users.MapGet("/{username}", Get).WithName("GetUser").WithSummary("A user").ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPut("/{username}", Put).Audited("user.put", "user:{username}", "displayName", "roles", "disabled")
            .WithName("PutUser").WithSummary("Create or change a user").Accepts<UserBodies.UserBody>("application/json");
        users.MapDelete("/{username}", Delete).Audited("user.delete", "user:{username}").WithName("DeleteUser").WithSummary("Delete a user")
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPost("/{username}/keys", AddKey).Audited("api-key.create", "user:{username}", "name", "roles", "expiresAt")
            .WithName("CreateApiKey").WithSummary("A new API key, shown once").Accepts<UserBodies.ApiKeyBody>("application/json")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        users.MapDelete("/{username}/keys/{name}", RevokeKey).Audited("api-key.revoke", "user:{username}").WithName("RevokeApiKey").WithSummary("Revoke an API key")
            .ProducesProblem(StatusCodes.Status404NotFound);
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
        var read = await BodyRead<UserBodies.Account>.ReadAsync(request, (json, errors) => UserBodies.Account.Read(json, username, errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        var change = new UserChange
        {
            DisplayName = body.DisplayName,
            Roles = body.Roles,
            PasswordHash = body.Password is null ? null : passwords.Hash(body.Password),
            Disabled = body.Disabled,
        };
        var user = await grains.GetGrain<IUserGrain>(username).Put(change);
        cache.Forget(username);
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
        // The user first: its roles bound the key's. For no such user, a body that is not a JSON object still answers 400, any other 404.
        var name = Normalize(username);
        var holder = name is null ? null : await grains.GetGrain<IUserGrain>(name).Get();
        var read = await BodyRead<UserBodies.KeyRequest>.ReadAsync(
            request, (json, errors) => UserBodies.KeyRequest.Read(json, holder, time.GetUtcNow(), errors), cancellationToken);
        if (!read.IsValid(out var body, out var error))
        {
            return error;
        }

        if (name is null || holder is null)
        {
            return Problems.NoSuch("user", username);
        }

        var (key, id, hash) = BearerToken.NewApiKey();
        try
        {
            var grant = new ApiKeyGrant { Id = id, Name = body.Name, Hash = hash, Roles = body.Roles, ExpiresAt = body.ExpiresAt };
            var added = await grains.GetGrain<IUserGrain>(name).AddKey(grant);
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
}
