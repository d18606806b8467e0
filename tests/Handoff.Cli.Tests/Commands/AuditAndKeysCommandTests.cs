using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace Handoff.Cli.Tests.Commands;

public sealed class AuditAndKeysCommandTests
{
    [Fact]
    public async Task KeysCreate_PrintsOnlyTheKey_AndAuditVerifyPasses()
    {
        using var dir = new TempDirectory();

        var (exit, output, error) = await CliRunner.RunAsync("keys", "create", "--data", dir.Path, "--role", "agent", "--name", "bot");
        var (verifyExit, verifyOutput, _) = await CliRunner.RunAsync("audit", "verify", "--data", dir.Path);

        Assert.True(exit == 0, error);
        Assert.Matches(@"^hk_[A-Za-z0-9_-]{40,}\n?$", output);
        Assert.Equal(0, verifyExit);
        Assert.Contains("intact", verifyOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_AfterAnEntryIsTamperedWith_ExitsOneNamingIt()
    {
        using var dir = new TempDirectory();
        await CliRunner.RunAsync("keys", "create", "--data", dir.Path, "--role", "agent");
        await CliRunner.RunAsync("keys", "create", "--data", dir.Path, "--role", "reviewer");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "handoff.db")};Pooling=False"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = connection.CreateCommand();
            // Someone with the file in hand can drop the append-only triggers; the hash chain still gives them away.
            command.CommandText = "DROP TRIGGER audit_no_update; UPDATE audit SET actor_name = 'mallory' WHERE seq = 2";
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        var (exit, output, _) = await CliRunner.RunAsync("audit", "verify", "--data", dir.Path);

        Assert.Equal(1, exit);
        Assert.Contains("entry 2", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OnFreshDirectory_AcceptsCasesWithAKeyCreatedWhileRunning()
    {
        using var dir = new TempDirectory();
        var port = CliRunner.FreePort();
        using var server = CliRunner.Start("serve", "--data", dir.Path, "--urls", $"http://127.0.0.1:{port}");
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntilUpAsync(http);

            var (exit, key, error) = await CliRunner.RunAsync("keys", "create", "--data", dir.Path, "--role", "agent");
            Assert.True(exit == 0, error);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Trim());
            using var response = await http.PostAsJsonAsync("/v1/cases", new
            {
                kind = "reply",
                facts = new { amount = 5000 },
                proposal = new { text = "Deal.", confidence = 0.99 },
            }, TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
            Assert.Equal("pending", body.GetProperty("status").GetString());
            Assert.Equal("sales", body.GetProperty("team").GetString());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task WaitUntilUpAsync(HttpClient http)
    {
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var health = await http.GetAsync("/healthz");
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("handoff serve did not come up within 30 s.");
    }
}
