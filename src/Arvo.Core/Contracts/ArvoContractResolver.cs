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
            foreach (var version in contract.Versions)
            {
                if (string.Equals(version.Dataschema, dataschema, StringComparison.Ordinal))
                {
                    return version;
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

        // 1. The dataschema must parse.
        if (!ArvoDataschema.TryParse(dataschema, out var reference))
        {
            return ArvoInputValidationResult.Invalid(
                $"Event dataschema resolution failed: Unable to parse dataschema='{dataschema ?? "null"}' for event(id='{eventId}', type='{eventType}'). This makes the event opaque and does not allow contract resolution");
        }

        // 2. Self, 3. services (emit types in order, then the system error type), 4. unresolved.
        ArvoContractRole role;
        VersionedArvoContract? resolved = null;
        ArvoSchema? schema = null;
        if (eventType == selfContract.Type)
        {
            role = ArvoContractRole.Self;
            if (selfVersion is not null)
            {
                resolved = selfVersion;
            }
            else if (!selfContract.TryGetVersion(reference.Version.Text, out resolved))
            {
                return ArvoInputValidationResult.Invalid(
                    $"The contract (uri={selfContract.Uri}) does not have version={reference.Version.Text}", role);
            }

            schema = resolved.Accepts.Schema;
        }
        else
        {
            role = ArvoContractRole.Service;
            foreach (var service in services)
            {
                if (service is null)
                {
                    throw new ArgumentException("The service contracts must not contain null.", nameof(services));
                }

                if (service.Emits.TryGetValue(eventType, out schema))
                {
                    resolved = service;
                    break;
                }

                if (service.SystemError.Type == eventType)
                {
                    resolved = service;
                    schema = service.SystemError.Schema;
                    break;
                }
            }

            if (resolved is null || schema is null)
            {
                return ArvoInputValidationResult.ContractUnresolved;
            }
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

        // 7. The data must match; 8. valid.
        var validation = schema.Validate(data);
        return validation.IsValid
            ? ArvoInputValidationResult.Valid(role, resolved)
            : ArvoInputValidationResult.InvalidData(role, resolved, validation);
    }
}
