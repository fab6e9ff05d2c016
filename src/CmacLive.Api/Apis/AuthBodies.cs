using System.Text;
using System.Text.Json;
using CmacLive.Api.Auth;
using CmacLive.Validation;

namespace CmacLive.Api.Apis;

/// <summary>The bodies the sign-in routes take, each a typed record with the one validator that reads it (<see cref="BodyRead{T}"/>).</summary>
public static class AuthBodies
{
    /// <summary><c>POST /api/auth/token</c> <c>{username, password}</c>: the name as typed, only ASCII folded to lower case.</summary>
    public sealed record Credentials(string Username, string Password)
    {
        public static Credentials Read(JsonElement body, Dictionary<string, string[]> errors)
        {
            // Only ASCII is folded to lower case: a look-alike (the Kelvin sign for K) must not sign in as another name.
            var username = Problems.RequiredText(body, "username", InputLimits.Short, errors) is { } typed
                ? Ascii.IsValid(typed) ? typed.ToLowerInvariant() : typed
                : null;
            var password = Problems.OptionalString(body, "password", errors);
            if (string.IsNullOrEmpty(password) && !errors.ContainsKey("password"))
            {
                errors["password"] = ["is required"];
            }
            else if (password is { Length: > PasswordHashing.MaxLength })
            {
                errors["password"] = [$"must be at most {PasswordHashing.MaxLength} characters"];
            }

            return new(username ?? "", password ?? "");
        }
    }

    /// <summary>The body of <c>POST /api/auth/token</c> as sent (<see cref="Credentials"/> reads it).</summary>
    public sealed record SignInBody
    {
        /// <summary>The user name; ASCII letters are read in lower case.</summary>
        public required string Username { get; init; }

        public required string Password { get; init; }
    }
}
