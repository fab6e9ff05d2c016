using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace CmacLive.EndToEnd.Tests;

/// <summary>Users made over REST with the admin token, and what they sign in with.</summary>
public static class TestUsers
{
    public const string Password = "correct horse battery";

    /// <summary>Creates (or changes) the user with these roles and the shared test password.</summary>
    public static async Task CreateUserAsync(this ISiloEndpoint silo, string username, params string[] roles)
    {
        var response = await silo.Http.PutAsJsonAsync($"/api/users/{username}", new { displayName = $"User {username}", roles, password = Password });
        Assert.True(response.IsSuccessStatusCode, $"PUT user {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Signs in and answers the access token.</summary>
    public static async Task<string> SignInAsync(this ISiloEndpoint silo, string username, string password = Password)
    {
        var response = await silo.SignInResponseAsync(username, password);
        Assert.True(response.IsSuccessStatusCode, $"sign-in of {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        return answer.GetProperty("accessToken").GetString()!;
    }

    public static async Task<HttpResponseMessage> SignInResponseAsync(this ISiloEndpoint silo, string username, string password)
    {
        using var anonymous = silo.ClientWith(null);
        return await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password });
    }

    /// <summary>An HTTP client to the silo that sends this bearer credential (none: anonymous).</summary>
    public static HttpClient ClientWith(this ISiloEndpoint silo, string? token)
    {
        var client = new HttpClient { BaseAddress = silo.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}
