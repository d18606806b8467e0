using Handoff.Server.Accounts;
using Handoff.Server.Tests.Infrastructure;
using Handoff.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Accounts;

public sealed class AccountServiceTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task SignIn_WithTheRightPassword_ReturnsThePerson()
    {
        await using var server = await TestServer.StartAsync();
        var accounts = server.App.Services.GetRequiredService<AccountService>();
        await AddAsync(server, "rita@example.com");

        var attempt = await accounts.SignInAsync("  RITA@example.com ", Password, TestContext.Current.CancellationToken);

        Assert.Null(attempt.Failure);
        Assert.Equal("rita@example.com", attempt.User?.Email);
    }

    [Fact]
    public async Task SignIn_AfterManyWrongPasswords_StillLetsTheRightOneIn()
    {
        await using var server = await TestServer.StartAsync();
        var accounts = server.App.Services.GetRequiredService<AccountService>();
        await AddAsync(server, "rita@example.com");
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(SignInFailure.WrongCredentials, (await accounts.SignInAsync("rita@example.com", "wrong password!", ct)).Failure);
        }

        var right = await accounts.SignInAsync("rita@example.com", Password, ct);

        // No number of wrong passwords locks the account: a lock anybody could set would lock Rita out (SignInLimiter
        // slows the guesser instead).
        Assert.Null(right.Failure);
        Assert.Equal("rita@example.com", right.User?.Email);
    }

    [Fact]
    public async Task SignIn_UnknownEmailOrDisabledPerson_IsRefused()
    {
        await using var server = await TestServer.StartAsync();
        var accounts = server.App.Services.GetRequiredService<AccountService>();
        var user = await AddAsync(server, "gone@example.com");
        await server.Store.UpdateUserAsync(user.WorkspaceId, user.Id, new UserChanges { Disabled = true }, Core.Cases.Actor.Cli("tests"), TestContext.Current.CancellationToken);

        var unknown = await accounts.SignInAsync("nobody@example.com", Password, TestContext.Current.CancellationToken);
        var disabled = await accounts.SignInAsync("gone@example.com", Password, TestContext.Current.CancellationToken);
        var disabledWrongPassword = await accounts.SignInAsync("gone@example.com", "a guess at it", TestContext.Current.CancellationToken);

        Assert.Equal(SignInFailure.WrongCredentials, unknown.Failure);
        Assert.Equal(SignInFailure.Disabled, disabled.Failure);
        // Only someone who knows the password learns the account is disabled.
        Assert.Equal(SignInFailure.WrongCredentials, disabledWrongPassword.Failure);
    }

    [Theory]
    [InlineData("not-an-email", "Ana", Password, "email")]
    [InlineData("ana@example.com", " ", Password, "name")]
    [InlineData("ana@example.com", "Ana", "too short", "password")]
    public async Task Add_WithABadField_SaysWhichAndAddsNobody(string email, string name, string password, string field)
    {
        await using var server = await TestServer.StartAsync();
        var accounts = server.App.Services.GetRequiredService<AccountService>();
        var workspace = await server.Store.FindWorkspaceAsync("default", TestContext.Current.CancellationToken);

        var (user, problem) = await accounts.AddAsync(new NewAccount(workspace!.Id, email, name, UserRole.Reviewer, [], password),
            Core.Cases.Actor.Cli("tests"), first: false, TestContext.Current.CancellationToken);

        Assert.Null(user);
        Assert.Contains(field, problem, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await server.Store.CountUsersAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SetupLink_WorksOnlyWhileThereIsNoAccount_AndOnlyForItsOwnToken()
    {
        await using var server = await TestServer.StartAsync();
        var link = server.App.Services.GetRequiredService<SetupLink>();
        var accounts = server.App.Services.GetRequiredService<AccountService>();
        var workspace = await server.Store.FindWorkspaceAsync("default", TestContext.Current.CancellationToken);
        var ct = TestContext.Current.CancellationToken;

        var token = await link.TokenIfNeededAsync(ct);
        var sameToken = await link.TokenIfNeededAsync(ct);
        var first = await accounts.AddAsync(new NewAccount(workspace!.Id, "first@example.com", "First", UserRole.Admin, [], Password), Core.Cases.Actor.Cli("setup"), first: true, ct);
        var second = await accounts.AddAsync(new NewAccount(workspace.Id, "second@example.com", "Second", UserRole.Admin, [], Password), Core.Cases.Actor.Cli("setup"), first: true, ct);

        Assert.NotNull(token);
        Assert.Equal(token, sameToken);
        Assert.True(link.Accepts(token));
        Assert.False(link.Accepts(token + "0"));
        Assert.False(link.Accepts(null));
        Assert.NotNull(first.User);
        Assert.Null(second.User);
        Assert.Null(await link.TokenIfNeededAsync(ct));
    }

    internal static async Task<User> AddAsync(TestServer server, string email, UserRole role = UserRole.Reviewer, string workspace = "default", params string[] teams)
    {
        var accounts = server.App.Services.GetRequiredService<AccountService>();
        var ws = await server.Store.EnsureWorkspaceAsync(workspace, Core.Cases.Actor.Cli("tests"), TestContext.Current.CancellationToken);
        var (user, problem) = await accounts.AddAsync(new NewAccount(ws.Id, email, email.Split('@')[0], role, teams, Password),
            Core.Cases.Actor.Cli("tests"), first: false, TestContext.Current.CancellationToken);
        return user ?? throw new InvalidOperationException(problem);
    }
}
