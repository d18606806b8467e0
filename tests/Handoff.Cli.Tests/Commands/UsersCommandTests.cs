using Handoff.Storage;
using Handoff.Storage.Sqlite;
using Microsoft.AspNetCore.Identity;

namespace Handoff.Cli.Tests.Commands;

public sealed class UsersCommandTests
{
    [Fact]
    public async Task UsersAdd_WithThePasswordOnStdin_StoresTheAccountWithAHashedPassword()
    {
        using var dir = new TempDirectory();
        await CliRunner.RunAsync("teams", "add", "support", "--data", dir.Path);
        await CliRunner.RunAsync("teams", "add", "sales", "--data", dir.Path);

        var (exit, output, error) = await CliRunner.RunWithInputAsync("correct horse battery\n",
            "users", "add", "--data", dir.Path, "--email", "Ana@Example.com", "--name", "Ana Lima", "--role", "reviewer", "--team", "support", "--team", "sales");

        Assert.True(exit == 0, error);
        Assert.Contains("Ana@Example.com", output, StringComparison.Ordinal);
        using var store = new SqliteHandoffStore(Path.Combine(dir.Path, "handoff.db"), TimeProvider.System);
        var user = await store.FindUserByEmailAsync("ana@example.com", TestContext.Current.CancellationToken);
        Assert.NotNull(user);
        Assert.Equal(UserRole.Reviewer, user.Role);
        Assert.Equal(["support", "sales"], user.Teams);
        Assert.DoesNotContain("correct horse", user.PasswordHash, StringComparison.Ordinal);
        Assert.NotEqual(PasswordVerificationResult.Failed, new PasswordHasher<User>().VerifyHashedPassword(user, user.PasswordHash, "correct horse battery"));
    }

    [Fact]
    public async Task UsersAdd_WithATeamThatDoesNotExist_ExitsOneNamingItAndAddsNobody()
    {
        using var dir = new TempDirectory();

        var (exit, _, error) = await CliRunner.RunWithInputAsync("correct horse battery\n",
            "users", "add", "--data", dir.Path, "--email", "ana@example.com", "--name", "Ana", "--role", "reviewer", "--team", "sales");

        Assert.Equal(1, exit);
        Assert.Contains("no team 'sales'", error, StringComparison.Ordinal);
        using var store = new SqliteHandoffStore(Path.Combine(dir.Path, "handoff.db"), TimeProvider.System);
        Assert.Equal(0, await store.CountUsersAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UsersAdd_WithAShortPassword_ExitsOneAndAddsNobody()
    {
        using var dir = new TempDirectory();

        var (exit, _, error) = await CliRunner.RunWithInputAsync("short\n", "users", "add", "--data", dir.Path, "--email", "a@example.com", "--name", "A", "--role", "admin");

        Assert.Equal(1, exit);
        Assert.Contains("at least 10 characters", error, StringComparison.Ordinal);
        using var store = new SqliteHandoffStore(Path.Combine(dir.Path, "handoff.db"), TimeProvider.System);
        await store.MigrateAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, await store.CountUsersAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task UsersAdd_AnEmailAlreadyTakenInAnotherCase_ExitsOneNamingIt()
    {
        using var dir = new TempDirectory();
        await CliRunner.RunWithInputAsync("a long enough password\n", "users", "add", "--data", dir.Path, "--email", "sam@example.com", "--name", "Sam", "--role", "admin");

        var (exit, _, error) = await CliRunner.RunWithInputAsync("another long password\n", "users", "add", "--data", dir.Path, "--email", "SAM@example.com", "--name", "Sam 2", "--role", "reviewer");

        Assert.Equal(1, exit);
        Assert.Contains("SAM@example.com already has an account", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithNoAccounts_PrintsASetupLinkThatOpensTheFirstAdminForm()
    {
        using var dir = new TempDirectory();
        var port = CliRunner.FreePort();
        using var server = CliRunner.Start("serve", "--data", dir.Path, "--urls", $"http://127.0.0.1:{port}");
        try
        {
            var link = await ReadSetupLinkAsync(server);
            using var http = new HttpClient();

            var page = await http.GetStringAsync(link, TestContext.Current.CancellationToken);
            var forged = await http.GetStringAsync($"http://127.0.0.1:{port}/setup?token=forged", TestContext.Current.CancellationToken);

            Assert.StartsWith($"http://127.0.0.1:{port}/setup?token=", link, StringComparison.Ordinal);
            Assert.Contains("Create the first admin", page, StringComparison.Ordinal);
            Assert.Contains("name=\"Input.Password\"", page, StringComparison.Ordinal);
            Assert.Contains("not valid", forged, StringComparison.Ordinal);
            Assert.DoesNotContain("name=\"Input.Password\"", forged, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task<string> ReadSetupLinkAsync(System.Diagnostics.Process server)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (await server.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            var at = line.IndexOf("http://", StringComparison.Ordinal);
            if (line.Contains("setup?token=", StringComparison.Ordinal) && at >= 0)
            {
                return line[at..].Split(' ')[0];
            }
        }

        throw new InvalidOperationException("handoff serve ended without printing a setup link.");
    }
}
