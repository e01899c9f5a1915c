/// Expressions, each with its source span for error messages.
public indirect enum Expr: Sendable {
    case number(Double, SourceLocation)
    case string(String, SourceLocation)
    case bool(Bool, SourceLocation)
    case none(SourceLocation)
    case name(String, SourceLocation)
    case list([Expr], SourceLocation)
    case unary(String, Expr, SourceLocation)
    case binary(String, Expr, Expr, SourceLocation)
    case logical(String, Expr, Expr, SourceLocation)
    case range(Expr, Expr, closed: Bool, SourceLocation)
    case call(Expr, [CallArgument], SourceLocation)
    case index(Expr, [IndexItem], SourceLocation)
    case member(Expr, String, SourceLocation)
    case lambda([FunctionParameter], [Stmt], SourceLocation)
    case block([Stmt], noGrad: Bool, SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .number(_, let l), .string(_, let l), .bool(_, let l), .none(let l), .name(_, let l), .list(_, let l),
            .unary(_, _, let l), .binary(_, _, _, let l), .logical(_, _, _, let l), .range(_, _, _, let l),
            .call(_, _, let l), .index(_, _, let l), .member(_, _, let l), .lambda(_, _, let l), .block(_, _, let l):
            l
        }
    }
}

public struct CallArgument: Sendable {
    public let label: String?
    public let value: Expr
}

public enum IndexItem: Sendable {
    case single(Expr)
    case slice(Expr?, Expr?, Expr?)
}

public struct FunctionParameter: Sendable {
    public let name: String
    public let defaultValue: Expr?
}

public indirect enum Stmt: Sendable {
    case expression(Expr)
    case assign([Expr], Expr, SourceLocation)
    case compound(Expr, String, Expr, SourceLocation)
    case function(String, [FunctionParameter], [Stmt], SourceLocation)
    case forIn(String, Expr, [Stmt], SourceLocation)
    case whileLoop(Expr, [Stmt], SourceLocation)
    case ifElse(Expr, [Stmt], [Stmt]?, SourceLocation)
    case returnValue(Expr?, SourceLocation)
    case breakLoop(SourceLocation)
    case continueLoop(SourceLocation)
}
