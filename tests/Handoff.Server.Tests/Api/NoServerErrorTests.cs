using System.Net;
using System.Text;
using CsCheck;
using Handoff.Server.Tests.Infrastructure;

namespace Handoff.Server.Tests.Api;

/// <summary>Whatever a client sends, the answer is a 2xx or a 4xx problem: never a 500.</summary>
public sealed class NoServerErrorTests
{
    // Bodies built from each endpoint's own field names, with values of every JSON type (durations with extreme
    // numbers among them), nested and mistyped at random, often after a valid required field: close enough to real
    // requests to get past the JSON reader into the validators. Plus some plain garbage.
    private static readonly string[] CaseFields = ["kind", "summary", "channel", "subject", "facts", "conversation", "proposal", "options", "expiresIn", "onTimeout"];
    private static readonly string[] NestedFields = ["text", "action", "name", "arguments", "confidence", "role", "at", "amount", "returning"];
    private static readonly string[] DecisionFields = ["verdict", "text", "arguments", "option", "note"];
    private static readonly string[] AutonomyFields = ["enabled", "reason"];

    private static Gen<string> OneOf(string[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);

    private static readonly Gen<string> Scalar = Gen.Frequency(
        (6, Gen.OneOf(
            Gen.Const("null"), Gen.Const("true"), Gen.Const("\"\""), Gen.Const("-1"), Gen.Const("1e308"), Gen.Const("0.5"), Gen.Const("2147483648"),
            Gen.Const("\"reply\""), Gen.Const("\"approve\""), Gen.Const("\"edit\""), Gen.Const("\"choose\""), Gen.Const("\"00:00:-1\""),
            Gen.Const("99999999999999999999999"), Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => "\"" + s + "\""))),
        (2, Gen.Select(Gen.Double, OneOf(["s", "m", "h", "d", ""])).Select(p => FormattableString.Invariant($"\"{p.Item1}{p.Item2}\""))),
        (1, Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "0")));

    private static readonly Gen<string> Value = Gen.Recursive<string>((depth, value) => depth >= 3
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (1, value.Array[0, 3].Select(items => "[" + string.Join(",", items) + "]")),
            (2, Object(OneOf(NestedFields), value, 4))));

    private static Gen<string> Object(Gen<string> names, Gen<string> values, int most) =>
        Gen.Select(names, values).Array[0, most].Select(pairs => "{" + string.Join(",", pairs.Select(p => $"\"{p.Item1}\":{p.Item2}")) + "}");

    private static Gen<string> Body(string[] fields, string required) => Gen.Frequency(
        (4, Object(OneOf(fields), Value, 5)),
        (4, Object(OneOf(fields), Value, 4).Select(o => o.Length > 2 ? "{" + required + "," + o[1..] : "{" + required + "}")),
        (1, Gen.String[0, 40]));

    [Fact]
    public async Task RandomBodies_OnEveryWritingEndpoint_NeverGetA500()
    {
        await using var server = await TestServer.StartAsync();
        var id = await TestCases.SubmitPendingAsync(server.Client(server.AgentKey));
        var targets = new (HttpClient Client, HttpMethod Method, string Path, Gen<string> Body)[]
        {
            (server.Client(server.AgentKey), HttpMethod.Post, "/v1/cases", Body(CaseFields, "\"kind\":\"reply\"")),
            (server.Client(server.ReviewerKey), HttpMethod.Post, $"/v1/cases/{id}/decision", Body(DecisionFields, "\"verdict\":\"edit\"")),
            (server.Client(server.AdminKey), HttpMethod.Put, "/v1/autonomy", Body(AutonomyFields, "\"enabled\":true")),
            (server.Client(server.AdminKey), HttpMethod.Put, "/v1/policy", Body(["rules", "defaults", "id", "when", "outcome"], "\"rules\":[]")),
            (server.Client(server.ReviewerKey), HttpMethod.Post, "/v1/cases/next", Body(["person", "team"], "\"person\":\"usr_nobody\"")),
        };
        var failures = new List<string>();

        await Gen.Int[0, targets.Length - 1].SelectMany(i => targets[i].Body.Select(body => (Index: i, Body: body))).SampleAsync(async sample =>
        {
            var (index, body) = sample;
            var (client, method, path, _) = targets[index];
            using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            using var response = await client.SendAsync(request);
            if (response.StatusCode >= HttpStatusCode.InternalServerError)
            {
                failures.Add($"{method} {path} {body} → {(int)response.StatusCode}");
            }
        }, iter: 1500, threads: 1);

        Assert.Empty(failures);
    }
}
