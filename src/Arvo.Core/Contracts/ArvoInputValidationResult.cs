using Arvo.Schemas;

namespace Arvo.Contracts;

/// <summary>The result of matching an incoming event to a machine's contracts (contracts.md 6.2).</summary>
public sealed class ArvoInputValidationResult
{
    private ArvoInputValidationResult(
        ArvoInputValidationKind kind,
        ArvoContractRole? role,
        VersionedArvoContract? contract,
        string? error,
        ArvoSchemaValidationResult? validation)
    {
        Kind = kind;
        Role = role;
        Contract = contract;
        Error = error;
        Validation = validation;
    }

    /// <summary>The shared <see cref="ArvoInputValidationKind.ContractUnresolved"/> result.</summary>
    public static ArvoInputValidationResult ContractUnresolved { get; } = new(ArvoInputValidationKind.ContractUnresolved, null, null, null, null);

    /// <summary>The outcome.</summary>
    public ArvoInputValidationKind Kind { get; }

    /// <summary>True for <see cref="ArvoInputValidationKind.Valid"/>.</summary>
    public bool IsValid => Kind == ArvoInputValidationKind.Valid;

    /// <summary>Whether the event matched the self or a service contract; null when no contract was resolved.</summary>
    public ArvoContractRole? Role { get; }

    /// <summary>The resolved contract version; null when none was resolved.</summary>
    public VersionedArvoContract? Contract { get; }

    /// <summary>
    /// Why the event is invalid (<see cref="ArvoInputValidationKind.Invalid"/>: the reference's message;
    /// <see cref="ArvoInputValidationKind.InvalidData"/>: the validation issues); null otherwise.
    /// </summary>
    public string? Error { get; }

    /// <summary>The failed data validation for <see cref="ArvoInputValidationKind.InvalidData"/>; null otherwise.</summary>
    public ArvoSchemaValidationResult? Validation { get; }

    /// <summary>
    /// The violation a caller raises for this result (orchestrator.md step 11, resumable.md section 4), or null
    /// when valid: <see cref="ConfigViolation"/> <c>Contract validation failed - Event does not match any
    /// registered contract schemas in the &lt;component&gt;</c> for an unresolved contract,
    /// <see cref="ContractViolation"/> <c>Input validation failed - Event data does not meet contract
    /// requirements: &lt;error&gt;</c> otherwise.
    /// </summary>
    /// <param name="component">The caller, <c>machine</c> or <c>resumable</c>.</param>
    /// <returns>The violation to throw, or null.</returns>
    public ArvoViolation? ToViolation(string component) => Kind switch
    {
        ArvoInputValidationKind.Valid => null,
        ArvoInputValidationKind.ContractUnresolved => new ConfigViolation(
            $"Contract validation failed - Event does not match any registered contract schemas in the {component}"),
        _ => new ContractViolation($"Input validation failed - Event data does not meet contract requirements: {Error}"),
    };

    /// <summary><c>VALID</c>, <c>CONTRACT_UNRESOLVED</c>, or <c>INVALID: …</c> / <c>INVALID_DATA: …</c>.</summary>
    public override string ToString() => Kind switch
    {
        ArvoInputValidationKind.Valid => $"VALID ({(Role == ArvoContractRole.Self ? "self" : "service")} {Contract})",
        ArvoInputValidationKind.ContractUnresolved => "CONTRACT_UNRESOLVED",
        ArvoInputValidationKind.Invalid => $"INVALID: {Error}",
        _ => $"INVALID_DATA: {Error}",
    };

    internal static ArvoInputValidationResult Valid(ArvoContractRole role, VersionedArvoContract contract) =>
        new(ArvoInputValidationKind.Valid, role, contract, null, null);

    internal static ArvoInputValidationResult Invalid(string error, ArvoContractRole? role = null, VersionedArvoContract? contract = null) =>
        new(ArvoInputValidationKind.Invalid, role, contract, error, null);

    internal static ArvoInputValidationResult InvalidData(ArvoContractRole role, VersionedArvoContract contract, ArvoSchemaValidationResult validation) =>
        new(ArvoInputValidationKind.InvalidData, role, contract, validation.ToString(), validation);
}
