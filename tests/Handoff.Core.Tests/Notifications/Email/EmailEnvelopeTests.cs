using Handoff.Core.Notifications.Email;

namespace Handoff.Core.Tests.Notifications.Email;

public sealed class EmailEnvelopeTests
{
    [Fact]
    public void ToJson_ReadsBackAsTheSameMail()
    {
        var mail = EmailRenderer.Render(EmailRendererTests.Refund(), "evt_7_1", "handoff.example.com");

        var read = EmailEnvelope.Read(EmailEnvelope.From(mail, " Riley Reviewer ").ToJson());

        Assert.NotNull(read);
        Assert.Equal((mail.Subject, mail.PlainText, mail.Html, mail.MessageId, mail.InReplyTo), (read.Subject, read.Text, read.Html, read.MessageId, read.InReplyTo));
        Assert.Equal(mail.References, read.References);
        Assert.Equal("Riley Reviewer", read.ToName);
    }

    [Fact]
    public void ToJson_HasTheDocumentedNames()
    {
        var json = new EmailEnvelope("S", "T", "<p>H</p>", "m@x", "r@x", ["r@x"], "Riley").ToJson();

        Assert.Equal("""{"subject":"S","text":"T","html":"\u003Cp\u003EH\u003C/p\u003E","messageId":"m@x","inReplyTo":"r@x","references":["r@x"],"toName":"Riley"}""", json);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"subject":"S","text":"T","html":"H"}""")]
    [InlineData("""{"subject":"S","text":"T","messageId":"m@x"}""")]
    public void Read_ABodyThatIsNoEnvelope_IsNull(string body) => Assert.Null(EmailEnvelope.Read(body));

    [Fact]
    public void Read_WithoutReferences_HasNone()
    {
        var read = EmailEnvelope.Read("""{"subject":"S","text":"T","html":"H","messageId":"m@x"}""");

        Assert.NotNull(read);
        Assert.Empty(read.References);
        Assert.Null(read.InReplyTo);
    }
}
