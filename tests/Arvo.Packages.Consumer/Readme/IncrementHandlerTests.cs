using Arvo.Testing;
using Xunit;

namespace Arvo.Packages.Consumer.Readme;

// src/Arvo.Testing/README.md's example: the region between the markers is the README's code block. Program runs its
// theory rows as xunit would.
// README:Arvo.Testing:start
// One theory row per case; a step sends an event and checks the events that come back.
public sealed class IncrementHandlerTests
{
    private static readonly ArvoTestSuite Suite = new(IncrementService.Handler,
    [
        new ArvoTestCase
        {
            Name = "answers with the delta",
            Steps = [ArvoTestStep.Send(IncrementService.Command(2), events => events.Single().Data.GetRawText() == """{"value":2}""")],
        },
    ]);

    public static IEnumerable<object[]> Cases => Suite.CaseNames;

    [Theory]
    [MemberData(nameof(Cases))]
    public Task Suite_Case_Passes(string name) => Suite.AssertCaseAsync(name);
}
// README:Arvo.Testing:end
