using System.Text.Json;
using Handoff.Server.Dashboard.Shared;

namespace Handoff.Server.Tests.Dashboard.Shared;

public sealed class ArgumentFieldTests
{
    private static readonly JsonElement Arguments = JsonDocument.Parse("""
        {"order":"A-1001","amount":1250.5,"notify":true,"lines":[1,2],"note":null}
        """).RootElement;

    [Fact]
    public void FromThenBuild_Untouched_GivesTheSameArguments()
    {
        var fields = ArgumentField.From(Arguments);

        var (built, problem) = ArgumentField.Build(fields);

        Assert.Null(problem);
        Assert.Equal(["order", "amount", "notify", "lines", "note"], fields.Select(f => f.Name));
        Assert.True(JsonElement.DeepEquals(Arguments, built));
    }

    [Fact]
    public void Build_AfterEdits_KeepsEachValueItsKind()
    {
        var fields = ArgumentField.From(Arguments);
        fields.Single(f => f.Name == "amount").Text = "900";
        fields.Single(f => f.Name == "order").Text = "1002";
        fields.Single(f => f.Name == "notify").Flag = false;

        var (built, _) = ArgumentField.Build(fields);

        Assert.Equal(JsonValueKind.Number, built.GetProperty("amount").ValueKind);
        Assert.Equal(900, built.GetProperty("amount").GetDecimal());
        // A string field stays a string even when what is typed looks like a number.
        Assert.Equal("1002", built.GetProperty("order").GetString());
        Assert.Equal(JsonValueKind.False, built.GetProperty("notify").ValueKind);
    }

    [Theory]
    [InlineData("amount", "twelve", "amount must be a number")]
    [InlineData("amount", ".5", "amount must be a number")]
    [InlineData("amount", "\"12\"", "amount must be a number")]
    [InlineData("lines", "[1,", "lines must be valid JSON")]
    public void Build_WithAValueThatIsNotOfItsKind_NamesTheField(string name, string text, string expected)
    {
        var fields = ArgumentField.From(Arguments);
        fields.Single(f => f.Name == name).Text = text;

        var (_, problem) = ArgumentField.Build(fields);

        Assert.Equal(expected, problem?[..expected.Length]);
    }

    [Fact]
    public void From_ArgumentsThatAreNotAnObject_GivesNoFields() =>
        Assert.Empty(ArgumentField.From(default));

    [Theory]
    [InlineData("""{"a":1,"a":2}""", "address: Names the property 'a' more than once.")]
    [InlineData("""[1e400]""", "address: A number is too large.")]
    [InlineData("""{"a":""", "address must be valid JSON.")]
    public void Build_AJsonFieldTheApiWouldRefuse_NamesTheFieldAndTheProblem(string typed, string problem)
    {
        var fields = ArgumentField.From(JsonDocument.Parse("""{"address":{"line":"1 Main St"}}""").RootElement);
        fields[0].Text = typed;

        Assert.Equal(problem, ArgumentField.Build(fields).Problem);
    }

    [Fact]
    public void Build_KeysThatDifferOnlyInCase_StayTwoKeys()
    {
        var fields = ArgumentField.From(JsonDocument.Parse("""{"address":null,"Address":1}""").RootElement);
        fields[0].Text = """{"line":"1 Main St","Line":"Flat 2"}""";

        var (arguments, problem) = ArgumentField.Build(fields);

        Assert.Null(problem);
        Assert.Equal("""{"address":{"line":"1 Main St","Line":"Flat 2"},"Address":1}""", arguments.GetRawText());
    }
}
