using Handoff.Core.Routing;
using Handoff.Storage;
using Handoff.Storage.Sqlite;

namespace Handoff.Cli.Tests.Commands;

public sealed class TeamsCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TeamsAdd_WithEveryOption_StoresTheTeamAndListShowsIt()
    {
        using var dir = new TempDirectory();
        await AddPersonAsync(dir, "lena@example.com", "supervisor");
        await CliRunner.RunAsync("teams", "add", "tier-2", "--data", dir.Path);

        var (exit, output, error) = await CliRunner.RunAsync(
            "teams", "add", "billing", "--data", dir.Path, "--display-name", "Billing (EU)", "--mode", "pull", "--accept-timeout", "45s",
            "--idle-claim-timeout", "15m", "--overflow", "tier-2", "--supervisor", "lena@example.com",
            "--time-zone", "Europe/Berlin", "--hours", "mon-fri 09:00-17:00", "--hours", "sat 10:00-14:00", "--closed", "2026-12-25");
        var (_, list, _) = await CliRunner.RunAsync("teams", "list", "--data", dir.Path);

        Assert.True(exit == 0, error);
        Assert.Contains("billing\tBilling (EU)\tpull\taccept 45s", output, StringComparison.Ordinal);
        var team = await TeamAsync(dir, "billing");
        Assert.Equal((AssignmentMode.Pull, TimeSpan.FromSeconds(45), (TimeSpan?)TimeSpan.FromMinutes(15), "tier-2"), (team!.Mode, team.AcceptTimeout, team.IdleClaimTimeout, team.OverflowTeam));
        Assert.Equal("Europe/Berlin", team.WorkingHours!.TimeZone);
        Assert.Equal(6, team.WorkingHours.Week.Count);
        Assert.Equal(new WeeklyHours(DayOfWeek.Saturday, new TimeOnly(10, 0), new TimeOnly(14, 0)), team.WorkingHours.Week[^1]);
        Assert.Equal([new DateOnly(2026, 12, 25)], team.WorkingHours.Closures);
        Assert.Contains("supervisor lena@example.com", list, StringComparison.Ordinal);
        Assert.Contains("tier-2\ttier-2\tpush\taccept 30s\t24/7", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TeamsSet_ChangesOnlyTheGivenOptions()
    {
        using var dir = new TempDirectory();
        await CliRunner.RunAsync("teams", "add", "billing", "--data", dir.Path, "--mode", "pull", "--time-zone", "UTC", "--hours", "mon 09:00-17:00");

        var (exit, _, error) = await CliRunner.RunAsync("teams", "set", "billing", "--data", dir.Path, "--accept-timeout", "1m");

        Assert.True(exit == 0, error);
        var team = await TeamAsync(dir, "billing");
        Assert.Equal((AssignmentMode.Pull, TimeSpan.FromMinutes(1), "UTC", 1), (team!.Mode, team.AcceptTimeout, team.WorkingHours!.TimeZone, team.WorkingHours.Week.Count));
    }

    [Theory]
    [InlineData("--time-zone", "Mars/Olympus", "--time-zone")]
    [InlineData("--overflow", "billing", "--overflow")]
    [InlineData("--overflow", "nowhere", "--overflow")]
    [InlineData("--mode", "round-robin", "--mode")]
    [InlineData("--hours", "weekdays 9-5", "--hours")]
    [InlineData("--supervisor", "nobody@example.com", "--supervisor")]
    public async Task TeamsAdd_WithABadOption_ExitsOneNamingItAndAddsNothing(string option, string value, string named)
    {
        using var dir = new TempDirectory();

        var (exit, _, error) = await CliRunner.RunAsync("teams", "add", "billing", "--data", dir.Path, "--time-zone", "UTC", option, value);

        Assert.Equal(1, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Null(await TeamAsync(dir, "billing"));
    }

    [Fact]
    public async Task TeamsRemove_RemovesItAndANameTakenOrUnknownExitsOne()
    {
        using var dir = new TempDirectory();
        await CliRunner.RunAsync("teams", "add", "billing", "--data", dir.Path);

        var (taken, _, takenError) = await CliRunner.RunAsync("teams", "add", "billing", "--data", dir.Path);
        var (removed, _, _) = await CliRunner.RunAsync("teams", "remove", "billing", "--data", dir.Path);
        var (again, _, againError) = await CliRunner.RunAsync("teams", "remove", "billing", "--data", dir.Path);

        Assert.Equal((1, 0, 1), (taken, removed, again));
        Assert.Contains("already exists", takenError, StringComparison.Ordinal);
        Assert.Contains("No such team", againError, StringComparison.Ordinal);
        Assert.Null(await TeamAsync(dir, "billing"));
    }

    [Fact]
    public async Task UsersSet_SetsSkillsLanguagesCapacityAndTeams()
    {
        using var dir = new TempDirectory();
        await AddPersonAsync(dir, "ana@example.com", "reviewer");
        await CliRunner.RunAsync("teams", "add", "billing", "--data", dir.Path);

        var (exit, output, error) = await CliRunner.RunAsync(
            "users", "set", "--data", dir.Path, "--email", "ana@example.com", "--skills", "refunds,tier-2", "--languages", "en,de", "--capacity", "4", "--teams", "billing");

        Assert.True(exit == 0, error);
        Assert.Contains("capacity 4", output, StringComparison.Ordinal);
        using var store = new SqliteHandoffStore(Path.Combine(dir.Path, "handoff.db"), TimeProvider.System);
        var ana = await store.FindUserByEmailAsync("ana@example.com", Ct);
        Assert.Equal(["refunds", "tier-2"], ana!.Skills);
        Assert.Equal(["en", "de"], ana.Languages);
        Assert.Equal(["billing"], ana.Teams);
        Assert.Equal(4, ana.Capacity);
    }

    [Theory]
    [InlineData("--capacity", "0", "--capacity")]
    [InlineData("--skills", "Refunds", "--skills")]
    [InlineData("--languages", "english", "--languages")]
    [InlineData("--teams", "nowhere", "--teams")]
    public async Task UsersSet_WithABadValue_ExitsOneNamingTheOption(string option, string value, string named)
    {
        using var dir = new TempDirectory();
        await AddPersonAsync(dir, "ana@example.com", "reviewer");

        var (exit, _, error) = await CliRunner.RunAsync("users", "set", "--data", dir.Path, "--email", "ana@example.com", option, value);

        Assert.Equal(1, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersSet_ForSomeoneUnknown_ExitsOne()
    {
        using var dir = new TempDirectory();

        var (exit, _, error) = await CliRunner.RunAsync("users", "set", "--data", dir.Path, "--email", "nobody@example.com", "--capacity", "3");

        Assert.Equal(1, exit);
        Assert.Contains("nobody@example.com", error, StringComparison.Ordinal);
    }

    private static async Task AddPersonAsync(TempDirectory dir, string email, string role)
    {
        var (exit, _, error) = await CliRunner.RunWithInputAsync("a long enough password\n", "users", "add", "--data", dir.Path, "--email", email, "--name", email.Split('@')[0], "--role", role);
        Assert.True(exit == 0, error);
    }

    private static async Task<Team?> TeamAsync(TempDirectory dir, string name)
    {
        using var store = new SqliteHandoffStore(Path.Combine(dir.Path, "handoff.db"), TimeProvider.System);
        await store.MigrateAsync(Ct);
        var workspace = await store.FindWorkspaceAsync("default", Ct);
        return workspace is null ? null : await store.GetTeamAsync(workspace.Id, name, Ct);
    }
}
