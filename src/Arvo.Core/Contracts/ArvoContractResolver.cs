using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Arvo.Contracts;

/// <summary>
/// Matches an incoming event to a contract version and validates its data (contracts.md section 6).
/// Pure functions over the event's <c>type</c>, <c>dataschema</c> and <c>data</c>; they never change the data.
/// </summary>
public static class ArvoContractResolver
{
    /// <summary>
    /// The single-contract resolution of an event handler (contracts.md 6.1), in order: type check,
    /// dataschema uri check, version selection (latest when the dataschema carries no version), data validation.
    /// </summary>
    /// <param name="contract">The handler's contract.</param>
    /// <param name="eventType">The event's <c>type</c>.</param>
    /// <param name="dataschema">The event's <c>dataschema</c>, or null.</param>
    /// <param name="data">The event's <c>data</c>.</param>
    /// <param name="usedLatestVersion">
    /// True when the dataschema was null or unparseable and the latest version was used; the caller should log
    /// a warning (the reference does).
    /// </param>
    /// <returns>The resolved version.</returns>
    /// <exception cref="ConfigViolation">
    /// <c>Event type mismatch: Received '&lt;type&gt;', expected '&lt;contract type&gt;'</c>, or
    /// <c>Invalid contract version: &lt;version&gt;. Available versions: &lt;v1&gt;, &lt;v2&gt;</c> (also for <c>0.0.0</c>).
    /// </exception>
    /// <exception cref="ContractViolation">
    /// <c>Contract URI mismatch: Handler expects '&lt;uri&gt;' but event dataschema specifies '&lt;dataschema&gt;'. Events must
    /// reference the same contract URI as their handler.</c>, or <c>Input event payload validation failed: &lt;issues&gt;</c>
    /// (whatever the data: a lone UTF-16 surrogate, a number beyond the double range such as <c>1e309</c>, nesting deeper
    /// than 256 levels, a <c>default(JsonElement)</c> or a pattern match timeout are issues naming the path, see
    /// <see cref="ArvoSchema.Validate"/>).
    /// </exception>
    /// <exception cref="ArgumentNullException"><paramref name="contract"/> is null.</exception>
    public static VersionedArvoContract ResolveHandlerInput(ArvoContract contract, string eventType, string? dataschema, JsonElement data, out bool usedLatestVersion)
    {
        ArgumentNullException.ThrowIfNull(contract);
        if (eventType != contract.Type)
        {
            throw new ConfigViolation($"Event type mismatch: Received '{eventType}', expected '{contract.Type}'");
        }

        // The usual event names one of the contract's dataschemas exactly: no need to split it into new strings.
        if (ExactVersion(contract, dataschema) is { } exact)
        {
            usedLatestVersion = false;
            return ValidatedInput(exact, data);
        }

        var parsed = ArvoDataschema.TryParse(dataschema, out var reference);
        if (parsed && reference.Uri.Length > 0 && reference.Uri != contract.Uri)
        {
            throw new ContractViolation(
                $"Contract URI mismatch: Handler expects '{contract.Uri}' but event dataschema specifies '{dataschema}'. Events must reference the same contract URI as their handler.");
        }

        VersionedArvoContract version;
        if (!parsed)
        {
            usedLatestVersion = true;
            version = contract.Latest;
        }
        else
        {
            usedLatestVersion = false;
            if (!contract.TryGetVersion(reference.Version.Text, out var declared))
            {
                throw new ConfigViolation(
                    $"Invalid contract version: {reference.Version.Text}. Available versions: {string.Join(", ", contract.Versions.Select(v => v.Version))}");
            }

            version = declared;
        }

        return ValidatedInput(version, data);
    }

    private static VersionedArvoContract? ExactVersion(ArvoContract contract, string? dataschema)
    {
        if (dataschema is not null)
        {
            // Indexed: a foreach over the IReadOnlyList would box its enumerator on every event.
            var versions = contract.Versions;
            for (var i = 0; i < versions.Count; i++)
            {
                if (string.Equals(versions[i].Dataschema, dataschema, StringComparison.Ordinal))
                {
                    return versions[i];
                }
            }
        }

        return null;
    }

    private static VersionedArvoContract ValidatedInput(VersionedArvoContract version, JsonElement data)
    {
        var validation = version.Accepts.Schema.Validate(data);
        return validation.IsValid
            ? version
            : throw new ContractViolation($"Input event payload validation failed: {validation}");
    }

    /// <summary>
    /// The self + service resolution of a machine (contracts.md 6.2; reference <c>ArvoMachine.validateInput</c>).
    /// </summary>
    /// <param name="eventId">The event's <c>id</c> (used in messages).</param>
    /// <param name="eventType">The event's <c>type</c>.</param>
    /// <param name="dataschema">The event's <c>dataschema</c>, or null.</param>
    /// <param name="data">The event's <c>data</c>.</param>
    /// <param name="self">The machine's own contract version.</param>
    /// <param name="services">The service contract versions, in registration order.</param>
    /// <returns>
    /// The result; use <see cref="ArvoInputValidationResult.ToViolation"/> to raise the caller's violation. Whatever the
    /// event's data, the answer is a result (<see cref="ArvoInputValidationKind.InvalidData"/> for data the schema, or the
    /// checks before it, reject; see <see cref="ArvoSchema.Validate"/>), never an exception.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="self"/> or <paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="services"/> holds a null contract.</exception>
    public static ArvoInputValidationResult ValidateInput(
        string eventId, string eventType, string? dataschema, JsonElement data, VersionedArvoContract self, IEnumerable<VersionedArvoContract> services)
    {
        ArgumentNullException.ThrowIfNull(self);
        return Validate(eventId, eventType, dataschema, data, self.Contract, self, services);
    }

    /// <summary>
    /// The self + service resolution of a resumable (contracts.md 6.2 with an unversioned self contract): a
    /// self-type event uses the self version named by its dataschema.
    /// </summary>
    /// <param name="eventId">The event's <c>id</c> (used in messages).</param>
    /// <param name="eventType">The event's <c>type</c>.</param>
    /// <param name="dataschema">The event's <c>dataschema</c>, or null.</param>
    /// <param name="data">The event's <c>data</c>.</param>
    /// <param name="self">The resumable's own contract (all versions).</param>
    /// <param name="services">The service contract versions, in registration order.</param>
    /// <returns>
    /// The result. Port decision (resumable.md 4, recommendation): a self-type event naming a version the self contract
    /// does not declare (including <c>0.0.0</c>) gives <see cref="ArvoInputValidationKind.Invalid"/> with the message
    /// <c>The contract (uri=&lt;uri&gt;) does not have version=&lt;v&gt;</c>; the reference throws a plain error instead.
    /// Whatever the event's data, the answer is a result, never an exception (see <see cref="ArvoSchema.Validate"/>).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="self"/> or <paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="services"/> holds a null contract.</exception>
    public static ArvoInputValidationResult ValidateInput(
        string eventId, string eventType, string? dataschema, JsonElement data, ArvoContract self, IEnumerable<VersionedArvoContract> services)
    {
        ArgumentNullException.ThrowIfNull(self);
        return Validate(eventId, eventType, dataschema, data, self, null, services);
    }

    private static ArvoInputValidationResult Validate(
        string eventId, string eventType, string? dataschema, JsonElement data, ArvoContract selfContract, VersionedArvoContract? selfVersion, IEnumerable<VersionedArvoContract> services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // 2. Self, 3. services (emit types in order, then the system error type), resolved once. An unversioned self
        // contract (a resumable) resolves here only to the version whose dataschema the event names exactly.
        var role = eventType == selfContract.Type ? ArvoContractRole.Self : ArvoContractRole.Service;
        VersionedArvoContract? resolved;
        ArvoSchema? schema;
        if (role == ArvoContractRole.Self)
        {
            resolved = selfVersion ?? ExactVersion(selfContract, dataschema);
            schema = resolved?.Accepts.Schema;
        }
        else
        {
            TryResolveService(eventType, services, out resolved, out schema);
        }

        // The usual event names exactly the dataschema of the version it resolves to, so steps 1, 5 and 6 hold
        // without splitting the dataschema into new strings; every other event takes the steps in order.
        if (resolved is not null && schema is not null && string.Equals(resolved.Dataschema, dataschema, StringComparison.Ordinal))
        {
            return Validated(role, resolved, schema, data);
        }

        // 1. The dataschema must parse.
        if (!ArvoDataschema.TryParse(dataschema, out var reference))
        {
            return ArvoInputValidationResult.Invalid(
                $"Event dataschema resolution failed: Unable to parse dataschema='{dataschema ?? "null"}' for event(id='{eventId}', type='{eventType}'). This makes the event opaque and does not allow contract resolution");
        }

        if (role == ArvoContractRole.Self)
        {
            if (resolved is null && !selfContract.TryGetVersion(reference.Version.Text, out resolved))
            {
                return ArvoInputValidationResult.Invalid(
                    $"The contract (uri={selfContract.Uri}) does not have version={reference.Version.Text}", role);
            }

            schema = resolved.Accepts.Schema;
        }
        else if (resolved is null || schema is null)
        {
            // 4. Unresolved.
            return ArvoInputValidationResult.ContractUnresolved;
        }

        var roleName = role == ArvoContractRole.Self ? "self" : "service";

        // 5. The dataschema uri must be the contract's.
        if (reference.Uri != resolved.Uri)
        {
            return ArvoInputValidationResult.Invalid(
                $"Contract URI mismatch: {roleName} Contract(uri='{resolved.Uri}', type='{resolved.Accepts.Type}') does not match Event(dataschema='{dataschema}', type='{eventType}')",
                role,
                resolved);
        }

        // 6. The dataschema version must be the contract version, unless it is the wildcard.
        if (!reference.Version.IsWildcard && reference.Version.Text != resolved.Version)
        {
            return ArvoInputValidationResult.Invalid(
                $"Contract version mismatch: {roleName} Contract(version='{resolved.Version}', type='{resolved.Accepts.Type}', uri={resolved.Uri}) does not match Event(dataschema='{dataschema}', type='{eventType}')",
                role,
                resolved);
        }

        return Validated(role, resolved, schema, data);
    }

    /// <summary>7. The data must match; 8. valid.</summary>
    private static ArvoInputValidationResult Validated(ArvoContractRole role, VersionedArvoContract resolved, ArvoSchema schema, JsonElement data)
    {
        var validation = schema.Validate(data);
        return validation.IsValid
            ? resolved.ValidResult(role)
            : ArvoInputValidationResult.InvalidData(role, resolved, validation);
    }

    /// <summary>Step 3: the first service that emits <paramref name="eventType"/> (in order), or whose system error it is.</summary>
    private static bool TryResolveService(
        string eventType,
        IEnumerable<VersionedArvoContract> services,
        [NotNullWhen(true)] out VersionedArvoContract? resolved,
        [NotNullWhen(true)] out ArvoSchema? schema)
    {
        // Indexed when it is a list (what the machines and resumables pass): no boxed enumerator per event.
        if (services is IReadOnlyList<VersionedArvoContract> list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var service = list[i] ?? throw NullService(nameof(services));
                if (Matches(service, eventType, out schema))
                {
                    resolved = service;
                    return true;
                }
            }
        }
        else
        {
            foreach (var service in services)
            {
                if (Matches(service ?? throw NullService(nameof(services)), eventType, out schema))
                {
                    resolved = service;
                    return true;
                }
            }
        }

        resolved = null;
        schema = null;
        return false;
    }

    private static ArgumentException NullService(string parameter) => new("The service contracts must not contain null.", parameter);

    private static bool Matches(VersionedArvoContract service, string eventType, [NotNullWhen(true)] out ArvoSchema? schema)
    {
        if (service.Emits.TryGetValue(eventType, out schema))
        {
            return true;
        }

        if (service.SystemError.Type == eventType)
        {
            schema = service.SystemError.Schema;
            return true;
        }

        schema = null;
        return false;
    }
}
