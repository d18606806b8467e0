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
}
