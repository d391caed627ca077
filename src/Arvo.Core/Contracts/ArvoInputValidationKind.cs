namespace Arvo.Contracts;

/// <summary>The outcome kinds of <see cref="ArvoContractResolver.ValidateInput(string, string, string?, System.Text.Json.JsonElement, VersionedArvoContract, IEnumerable{VersionedArvoContract})"/>.</summary>
public enum ArvoInputValidationKind
{
    /// <summary><c>VALID</c>: a contract was resolved and the data matches its schema.</summary>
    Valid,

    /// <summary><c>CONTRACT_UNRESOLVED</c>: no contract declares the event type (callers raise a <see cref="ConfigViolation"/>).</summary>
    ContractUnresolved,

    /// <summary><c>INVALID</c>: the dataschema cannot be parsed or names another uri or version (callers raise a <see cref="ContractViolation"/>).</summary>
    Invalid,

    /// <summary><c>INVALID_DATA</c>: the data does not match the resolved schema (callers raise a <see cref="ContractViolation"/>).</summary>
    InvalidData,
}
