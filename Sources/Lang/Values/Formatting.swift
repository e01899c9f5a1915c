import Foundation
import Tensors

/// How values print at the prompt.
public func format(_ v: Value, nested: Bool = false) -> String {
    format(v, depth: nested ? 1 : 0)
}

/// Lists nested deeper than this print as `[…]`.
let deepestPrintedList = 32

func format(_ v: Value, depth: Int) -> String {
    let nested = depth > 0
    switch v {
    case .number(let x): return formatNumber(x)
    case .string(let s): return nested ? "\"\(s)\"" : s
    case .bool(let b): return b ? "true" : "false"
    case .none: return "none"
    case .list(let items):
        if depth >= deepestPrintedList { return items.isEmpty ? "[]" : "[…]" }
        if items.count > 100 { return "[" + items.prefix(50).map { format($0, depth: depth + 1) }.joined(separator: ", ") + ", … \(items.count - 50) more]" }
        return "[" + items.map { format($0, depth: depth + 1) }.joined(separator: ", ") + "]"
    case .range(let a, let b): return "\(a)..<\(b)"
    case .tensor(let t): return t.value.description
    case .function(let f):
        if let u = f as? UserFunction { return "<fn \(u.signature)>" }
        if let b = f as? BuiltinBox { return "<builtin \(b.builtin.signature)>" }
        return "<fn \(f.name)>"
    case .object(let o): return o.summary
    }
}

public func formatNumber(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    if x == x.rounded() && abs(x) < 1e15 { return String(Int(x)) }
    let a = abs(x)
    if a >= 1e-4 && a < 1e6 {
        var s = String(format: "%.6g", x)
        if s.contains("e") { s = String(x) }
        return s
    }
    return String(format: "%.4e", x)
}
