using Handoff.Server.Accounts;
using Handoff.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Handoff.Server.Tests.Accounts;

public sealed class SignInLimiterTests
{
    private const string Password = "a long enough password";

    [Fact]
    public async Task SignIn_ABurstOfParallelGuessesFromOneAddress_GetsNoMoreTriesThanTheLimit()
    {
        await using var server = await TestServer.StartAsync(o => o.SignInAttemptsPerAccount = 5);
        var signIns = server.App.Services.GetRequiredService<SignInLimiter>();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        var ct = TestContext.Current.CancellationToken;

        var attempts = await Task.WhenAll(Enumerable.Range(0, 30).Select(_ =>
            Task.Run(() => signIns.SignInAsync("rita@example.com", "wrong password!", "192.0.2.7", ct), ct)));
        var rightFromThere = await signIns.SignInAsync("RITA@example.com ", Password, "192.0.2.7", ct);
        var rightFromElsewhere = await signIns.SignInAsync("rita@example.com", Password, "198.51.100.1", ct);

        Assert.Equal(5, attempts.Count(a => a.Failure == SignInFailure.WrongCredentials));
        Assert.Equal(25, attempts.Count(a => a is { Failure: SignInFailure.TooManyAttempts, RetryAfter: not null }));
        Assert.Equal(SignInFailure.TooManyAttempts, rightFromThere.Failure);
        Assert.Null(rightFromElsewhere.Failure);
    }

    [Fact]
    public async Task SignIn_WrongPasswordsForManyAccounts_RefuseTheAddressAfterItsLimit()
    {
        await using var server = await TestServer.StartAsync(o => o.FailedSignInsPerAddress = 3);
        var signIns = server.App.Services.GetRequiredService<SignInLimiter>();
        await AccountServiceTests.AddAsync(server, "rita@example.com");
        var ct = TestContext.Current.CancellationToken;

        var failures = new List<SignInFailure?>();
        foreach (var email in new[] { "a@example.com", "b@example.com", "rita@example.com", "c@example.com" })
        {
            failures.Add((await signIns.SignInAsync(email, "wrong password!", "192.0.2.7", ct)).Failure);
        }

        var rightFromElsewhere = await signIns.SignInAsync("rita@example.com", Password, "198.51.100.1", ct);

        Assert.Equal([SignInFailure.WrongCredentials, SignInFailure.WrongCredentials, SignInFailure.WrongCredentials, SignInFailure.TooManyAttempts], failures);
        Assert.Null(rightFromElsewhere.Failure);
    }

    [Fact]
    public async Task SignIn_RightPasswords_DoNotCountAgainstTheAddress()
    {
        await using var server = await TestServer.StartAsync(o => o.FailedSignInsPerAddress = 1);
        var signIns = server.App.Services.GetRequiredService<SignInLimiter>();
        var ct = TestContext.Current.CancellationToken;
        string[] people = ["a@example.com", "b@example.com", "c@example.com"];
        foreach (var email in people)
        {
            await AccountServiceTests.AddAsync(server, email);
        }

        // A whole office behind one address signs in: only wrong passwords count against the address.
        foreach (var email in people)
        {
            Assert.Null((await signIns.SignInAsync(email, Password, "192.0.2.7", ct)).Failure);
        }
    }
}
