using System.Text.Json;
using Handoff.Core.Cases;

namespace Handoff.Core.Tests.Cases;

public sealed class ActorTests
{
    [Fact]
    public void Serialize_APerson_WritesKindIdAndNameOnly()
    {
        var person = new Actor(Actor.UserKind, "u_rita", "Rita Reviewer");

        Assert.True(person.IsDashboardUser());
        Assert.False(new Actor("agent", "key_1", "support bot").IsDashboardUser());
        Assert.Equal("""{"kind":"user","id":"u_rita","name":"Rita Reviewer"}""", JsonSerializer.Serialize(person, HandoffJson.Options));
    }
}
