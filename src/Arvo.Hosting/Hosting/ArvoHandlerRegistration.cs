namespace Arvo.Hosting;

/// <summary>One registered handler, orchestrator or resumable: built when the host starts.</summary>
/// <param name="Kind">What it is (for error messages).</param>
/// <param name="Index">Its position among the registrations, from 1.</param>
/// <param name="Instance">An instance registered as such (the same instance twice registers once).</param>
/// <param name="Factory">Or the factory that builds it.</param>
internal sealed record ArvoHandlerRegistration(string Kind, int Index, IArvoEventHandler? Instance, Func<IServiceProvider, IArvoEventHandler>? Factory)
{
    public IArvoEventHandler Build(IServiceProvider services)
    {
        if (Instance is not null)
        {
            return Instance;
        }

        try
        {
            return Factory!(services) ?? throw new InvalidOperationException("The factory returned null.");
        }
        catch (Exception error)
        {
            throw new ArvoHostingException($"Arvo could not build the {Kind} registered as #{Index}: {error.Message}", error);
        }
    }
}
