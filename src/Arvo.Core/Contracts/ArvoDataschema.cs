namespace Arvo.Contracts;

/// <summary>
/// The <c>dataschema</c> attribute of an Arvo event: <c>&lt;contract uri&gt;/&lt;version&gt;</c>,
/// for example <c>#/test/machine/0.0.1</c>. System-error events use the wildcard version <c>0.0.0</c>.
/// </summary>
/// <param name="Uri">The contract uri. Empty when the dataschema had no slash (see <see cref="TryParse"/>).</param>
/// <param name="Version">The contract version.</param>
public readonly record struct ArvoDataschema(string Uri, ArvoSemanticVersion Version)
{
    /// <summary>The dataschema text, <c>&lt;uri&gt;/&lt;version&gt;</c>.</summary>
    public override string ToString() => Create(Uri, Version);

    /// <summary>Builds <c>&lt;uri&gt;/&lt;version&gt;</c>.</summary>
    public static string Create(string uri, ArvoSemanticVersion version) => string.Concat(uri, "/", version.Text);

    /// <summary>
    /// Splits on the last <c>/</c>: the last piece must be a semantic version, the rest is the uri.
    /// Returns false for null, empty or a dataschema whose last piece is not a version
    /// (<c>#/a/v1</c>, <c>#/a/1.2.3-beta</c>). As in the reference, <c>1.2.3</c> alone parses with an
    /// empty uri; treat an empty uri as "no uri".
    /// </summary>
    public static bool TryParse(string? dataschema, out ArvoDataschema result)
    {
        result = default;
        if (string.IsNullOrEmpty(dataschema))
        {
            return false;
        }

        var slash = dataschema.LastIndexOf('/');
        var versionText = slash < 0 ? dataschema : dataschema[(slash + 1)..];
        if (!ArvoSemanticVersion.TryParse(versionText, out var version))
        {
            return false;
        }

        result = new ArvoDataschema(slash < 0 ? string.Empty : dataschema[..slash], version);
        return true;
    }
}
