using Arvo.Subjects;

namespace Arvo.Domains;

/// <summary>
/// The parent and current subjects of one emission, decoded on first use and then remembered, so resolving the domains
/// of every event of an execution decodes each subject at most once; a subject the caller already parsed is not decoded.
/// </summary>
/// <remarks>A mutable struct: pass it by <c>ref</c>, or the remembered domains are lost.</remarks>
internal struct DomainSubjects
{
    private readonly string? _parentSubject;
    private readonly string? _currentSubject;
    private string? _parentDomain;
    private string? _currentDomain;
    private bool _parentDecoded;
    private bool _currentDecoded;

    /// <summary>Subjects given as text, both decoded on first use.</summary>
    public DomainSubjects(string? parentSubject, string? currentSubject)
    {
        _parentSubject = parentSubject;
        _currentSubject = currentSubject;
    }

    /// <summary>A current subject that is already parsed, and the parent as text (decoded on first use).</summary>
    public DomainSubjects(string? parentSubject, ArvoOrchestrationSubjectContent current)
    {
        _parentSubject = parentSubject;
        _currentDomain = current.Execution.Domain;
        _currentDecoded = true;
    }

    /// <summary>Whether the workflow has a parent subject.</summary>
    public readonly bool HasParent => _parentSubject is not null;

    /// <summary>The current subject's <c>execution.domain</c>, or null.</summary>
    public string? CurrentDomain
    {
        get
        {
            if (!_currentDecoded)
            {
                _currentDomain = ArvoDomain.SubjectDomain(_currentSubject);
                _currentDecoded = true;
            }

            return _currentDomain;
        }
    }

    /// <summary>The parent subject's <c>execution.domain</c>, or null.</summary>
    public string? ParentDomain
    {
        get
        {
            if (!_parentDecoded)
            {
                _parentDomain = ArvoDomain.SubjectDomain(_parentSubject);
                _parentDecoded = true;
            }

            return _parentDomain;
        }
    }
}
